"""Images/s of lesson_kit's training loader: `ImageClassifierData.from_paths(PATH, tfms=tfms_from_model(arch, sz))`.

    python bench/sides/data_loader.py PATH [--sz 224] [--bs 64] [--workers 0] [--epochs 2] [--resize 291] [--tmp DIR]
                                      [--decode-device cuda] [--to cuda]
    ->   {"value": images/s, ...}

Decoding, resizing, random crop and normalisation to a float batch, as `learn.fit` sees it. One warm-up epoch
(and, with `--resize`, the one-off resized copy, written under `--tmp`) is excluded; then `--epochs` timed epochs,
each including whatever starting the epoch costs (worker processes, if any). `--to cuda` moves each batch to the GPU
(as training does) and waits for the GPU before reading the clock; `--decode-device cuda` decodes the JPEGs there.
"""
import json

import lesson_kit  # noqa: F401  first, as the lesson's `%load_ext lesson_kit`: it sets its environment before torch loads

# isort: split
import torch
from loader_timing import images_per_s, loader_parser

from lesson_kit.data import ImageClassifierData, tfms_from_model

if __name__ == '__main__':
    p = loader_parser()
    p.add_argument('--resize', type=int, default=None, help='read from a copy resized to this shorter side')
    p.add_argument('--tmp', default=None, help='folder for the resized copy (default: PATH/tmp)')
    p.add_argument('--decode-device', default=None, help="decode JPEGs on this device ('cuda')")
    p.add_argument('--to', default=None, help="move each batch to this device ('cuda'), as training does")
    a = p.parse_args()
    data = ImageClassifierData.from_paths(a.path, bs=a.bs, tfms=tfms_from_model(None, a.sz), num_workers=a.workers,
                                          decode_device=a.decode_device)
    if a.resize: data = data.resize(a.resize, new_path=a.tmp or 'tmp')
    sync = torch.cuda.synchronize if any('cuda' in (d or '') for d in (a.to, a.decode_device)) else None
    ips, cpu_ms = images_per_s(data.trn_dl, a.epochs, to=a.to, sync=sync)
    print(json.dumps({'value': ips, 'cpu_ms_per_image_main_process': cpu_ms, 'workers': a.workers, 'sz': a.sz,
                      'bs': a.bs, 'resize': a.resize, 'decode_device': a.decode_device, 'to': a.to,
                      'images': len(data.trn_ds), 'threads': torch.get_num_threads()}))
