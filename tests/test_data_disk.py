"""`data.resize` on a real full disk: a 2 MB tmpfs mounted by the test (root only, else skipped)."""
import os
import subprocess
import warnings

import numpy as np
import pytest
from PIL import Image

from lesson_kit.data import ImageClassifierData, tfms_from_model
from lesson_kit.env import DiskFullError


@pytest.fixture
def tiny_disk(tmp_path):
    "A 2 MB tmpfs at `tmp_path/disk`, unmounted afterwards."
    if os.geteuid() != 0: pytest.skip('mounting a tmpfs needs root')
    mnt = tmp_path / 'disk'
    mnt.mkdir()
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', str(mnt)], check=False).returncode:
        pytest.skip('cannot mount a tmpfs here')
    try: yield mnt
    finally: subprocess.run(['umount', '-l', str(mnt)], check=True)   # lazy: an open file can't keep it mounted


def _photos(root, n=6, side=700):
    "A dogscats-layout folder of `n` noisy JPEGs per class and set: about 4 MB once resized to 500 px."
    rng = np.random.default_rng(0)
    for s in ('train', 'valid'):
        for c in ('cats', 'dogs'):
            (root / s / c).mkdir(parents=True)
            for i in range(n):
                Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(root / s / c / f'{i}.jpg')
    return root


def test_resize_disk_full(tmp_path, tiny_disk):
    "The clear DiskFullError, no temporary file left, and the completed files are whole."
    data = ImageClassifierData.from_paths(_photos(tmp_path / 'photos'), bs=4, tfms=tfms_from_model(None, 64))
    with warnings.catch_warnings(), pytest.raises(DiskFullError, match='No space left while writing into') as e:
        warnings.simplefilter('ignore')
        data.resize(500, new_path=tiny_disk)
    assert 'LESSON_KIT_HOME' in str(e.value)
    left = [p for p in tiny_disk.rglob('*') if p.is_file()]
    assert not [p for p in left if p.name.endswith('.tmp')], left
    assert not (tiny_disk / '500' / '.resized.json').exists()  # not marked complete: the next call carries on
    for p in left:   # every file written is whole
        with Image.open(p) as im: im.load()
