"""Classifying one new image, as the 2018 lesson and its learners' own 0.7 code do it. Offline, on CPU."""
import os
import shutil

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import numpy as np
import pytest

from lesson_kit.data import ImageClassifierData, open_image, tfms_from_model
from lesson_kit.env import asset_path
from lesson_kit.learner import ConvLearner, Prediction
from lesson_kit.models import resnet18


@pytest.fixture
def learn(offline_home):
    "A precompute learner on a private copy of the sample, with planted (random) resnet18 weights, trained one epoch."
    tmp_path = offline_home
    shutil.copytree(asset_path('sample'), tmp_path / 'sample')
    data = ImageClassifierData.from_paths(tmp_path / 'sample', bs=16, tfms=tfms_from_model(resnet18, 32))
    lrn = ConvLearner.pretrained(resnet18, data, precompute=True, seed=0)
    lrn.fit(0.01, 1, checkpoint=False)
    return lrn


def _a_seven(learn): return sorted((learn.data.path / 'valid' / '7').iterdir())[0]


def test_the_2018_recipe(learn):
    "`trn_tfms, val_tfms = tfms_from_model(arch, sz); im = val_tfms(open_image(fn)); learn.predict_array(im[None])`."
    fn = _a_seven(learn)
    trn_tfms, val_tfms = tfms_from_model(resnet18, 32)
    im = val_tfms(open_image(fn))
    log_preds = learn.predict_array(im[None])
    assert isinstance(log_preds, np.ndarray) and log_preds.shape == (1, learn.data.c)
    np.testing.assert_allclose(np.exp(log_preds[0]), learn.predict_image(fn).probs, atol=1e-4)


def test_predict_image(learn):
    "One call, a path or an array: the class name, its probability, and every probability in `data.classes` order."
    fn = _a_seven(learn)
    p = learn.predict_image(fn)
    assert isinstance(p, Prediction) and p.label in learn.data.classes
    assert p.probs.shape == (learn.data.c,) and abs(p.probs.sum() - 1) < 1e-4
    assert p.prob == float(p.probs.max()) and p.label == learn.data.classes[int(p.probs.argmax())]
    np.testing.assert_allclose(learn.predict_image(str(fn)).probs, p.probs, atol=1e-5)
    np.testing.assert_allclose(learn.predict_image(open_image(fn)).probs, p.probs, atol=1e-4)


def test_predict_with_a_path_points_to_predict_image(learn):
    "`learn.predict('new_cat.jpg')` used to return the test set's predictions silently."
    with pytest.raises(TypeError, match=r"learn.predict_image\('new_cat.jpg'\)"): learn.predict('new_cat.jpg')
    with pytest.raises(TypeError, match='True'): learn.TTA(is_test='new_cat.jpg')
