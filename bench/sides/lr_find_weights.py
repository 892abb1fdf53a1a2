"""Make `resnet34`'s "pretrained" weights loadable offline, the same for lesson_kit and fastai.

torchvision (which both libraries use for ResNet weights) looks for `resnet34-b627a593.pth` in torch hub's
`checkpoints` folder before downloading it. Where the real file is already cached, it is used as it is.
Otherwise (the bench machine has no internet) we plant *random* ResNet34 weights under that name in a private
`TORCH_HOME` inside the scratch folder, so both sides run the pretrained code path with identical weights.
Speed does not depend on the weights' values; the suggested rates do, so don't read them as real ones.
"""
import os
import sys
from pathlib import Path

WEIGHTS = 'resnet34-b627a593.pth'


def ensure_resnet34_weights(tmp):
    "Return 'cached' if the real weights are in torch hub's cache, else plant random ones under `tmp`: 'planted'."
    import torch
    if (Path(torch.hub.get_dir()) / 'checkpoints' / WEIGHTS).exists(): return 'cached'
    home = Path(tmp) / 'torch_home'
    os.environ['TORCH_HOME'] = str(home)
    dest = home / 'hub' / 'checkpoints' / WEIGHTS
    if not dest.exists():
        from torchvision.models import resnet34
        torch.manual_seed(0)
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(f'.{dest.name}.{os.getpid()}.part')
        torch.save(resnet34().state_dict(), part)
        os.replace(part, dest)
    print(f'note: no cached ImageNet weights and no internet: using random ResNet34 weights at {dest}',
          file=sys.stderr)
    return 'planted'
