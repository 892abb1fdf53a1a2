"""Training loader throughput at 224 px, main process only: lesson_kit's trn_dl against fastai 2.8's."""
DESCRIPTION = ('Training DataLoader at sz=224, 0 workers, bs 64, ~375x500 JPEGs: decode, resize, random crop, '
               'normalised float batch. lesson_kit `ImageClassifierData.from_paths(PATH, tfms=tfms_from_model(arch, '
               '224)).trn_dl` vs fastai `ImageDataLoaders.from_folder(PATH, item_tfms=Resize(224)).train`; '
               'images/s over 2 epochs after a warm-up epoch.')
UNIT = 'images/s'
HIGHER_IS_BETTER = True
TARGET = 3.0
PEER = 'fastai 2.8'
NOTE = ('lesson_kit decodes with torchvision.io (libjpeg-turbo into uint8 tensors), a few threads per batch, '
        'keeps uint8 through resize and crop and normalises each batch in one pass; fastai decodes with PIL '
        'one image at a time in Python.'
        " Target 3 from issue #8: the training loader at 224 px, 0 workers, at least 3× fastai's.")


def commands(ctx):
    sides = ctx.root / 'bench' / 'sides'
    return ([ctx.python, sides / 'data_loader.py', ctx.jpegs, '--workers', '0'],
            [ctx.peer_python, sides / 'data_loader_fastai.py', ctx.jpegs, '--workers', '0'])
