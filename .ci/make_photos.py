"""Write the real photos the kernel lessons use into lesson_kit/assets/photos/ (run once; the output is committed).

The photos are scikit-image's bundled samples, which are public domain or CC0 as scikit-image documents them.
Each is saved as a JPEG at most 512 px on its longer side, with CREDITS.md naming its source and licence.
Usage: python .ci/make_photos.py [DEST]
"""
import os
import sys
import tempfile
from pathlib import Path

import skimage
import skimage.data
from PIL import Image

MAX_SIDE = 512
# name -> (what it shows, source and licence as scikit-image's `skimage.data` docstrings give them)
PHOTOS = {
    'chelsea': ('Chelsea the cat', 'Photograph by Stefan van der Walt. No copyright restrictions: CC0.'),
    'coffee': ('A cup of coffee', ('Courtesy of Pikolo Espresso Bar; photograph by Rachel Michetti. '
                                   'No copyright restrictions: CC0.')),
    'astronaut': ('The astronaut Eileen Collins', ('NASA Great Images database (https://flic.kr/p/r9qvLn). '
                                                   'No known copyright restrictions: public domain.')),
    'rocket': ('Launch of DSCOVR on a Falcon 9', ('SpaceX Photos on Flickr '
               '(https://www.flickr.com/photos/spacexphotos/16511594820/); released into the public domain '
               'by SpaceX.')),
}


def _atomic_write(path, write):
    "Call `write(tmp_path)` then rename the temporary file to `path`."
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp): os.remove(tmp)


def save_photo(name, dest):
    "Save scikit-image's sample `name` as `dest/name.jpg`, at most `MAX_SIDE` px on its longer side."
    im = Image.fromarray(getattr(skimage.data, name)())
    im.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    _atomic_write(dest / f'{name}.jpg', lambda p: im.save(p, 'JPEG', quality=85, optimize=True))
    return im.size


def credits_text(sizes):
    "The CREDITS.md text for photos of `sizes` (name -> (width, height))."
    lines = ['# Photo credits', '',
             (f'These photos are samples bundled with scikit-image {skimage.__version__} (`skimage.data`), '
              'resized to at most 512 px and saved as JPEG by `.ci/make_photos.py`. Sources and licences are '
              'as documented in scikit-image (https://scikit-image.org/docs/stable/api/skimage.data.html).'), '',
             '| file | shows | size | source and licence |', '|---|---|---|---|']
    for name, (what, credit) in PHOTOS.items():
        w, h = sizes[name]
        lines.append(f'| `{name}.jpg` | {what} | {w}×{h} | {credit} |')
    return '\n'.join(lines) + '\n'


def main(dest='lesson_kit/assets/photos'):
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sizes = {name: save_photo(name, dest) for name in PHOTOS}
    _atomic_write(dest / 'CREDITS.md', lambda p: Path(p).write_text(credits_text(sizes), encoding='utf-8'))
    print(f'wrote {len(sizes)} photos and CREDITS.md to {dest}')


if __name__ == '__main__': main(*sys.argv[1:])
