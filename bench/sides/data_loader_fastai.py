"""Images/s of fastai 2.8's training loader: `ImageDataLoaders.from_folder(PATH, item_tfms=Resize(sz))`.

    python bench/sides/data_loader_fastai.py PATH [--sz 224] [--bs 64] [--workers 0] [--epochs 2]
    ->   {"value": images/s, ...}

The peer of `data_loader.py`: the same folder, decoded, resized and cropped to `sz` (fastai's `Resize` random-crops
the training set), collated and converted to a float batch (fastai's default `IntToFloatTensor`). One warm-up
epoch excluded; then `--epochs` timed epochs, each including whatever starting the epoch costs.
"""
import json

import torch
from fastai.vision.all import ImageDataLoaders, Resize
from loader_timing import images_per_s, loader_parser

if __name__ == '__main__':
    p = loader_parser()
    a = p.parse_args()
    dls = ImageDataLoaders.from_folder(a.path, train='train', valid='valid', item_tfms=Resize(a.sz), bs=a.bs,
                                       num_workers=a.workers, device=torch.device('cpu'))
    ips, cpu_ms = images_per_s(dls.train, a.epochs)
    print(json.dumps({'value': ips, 'cpu_ms_per_image_main_process': cpu_ms, 'workers': a.workers, 'sz': a.sz,
                      'bs': a.bs, 'images': len(dls.train_ds), 'threads': torch.get_num_threads()}))
