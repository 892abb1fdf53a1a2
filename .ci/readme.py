"""Write README.md from nbs/index.ipynb without Quarto (`nbdev_readme` needs Quarto, which we can't install).

Hidden cells (`#| hide`) are dropped, `#| echo: false` hides a cell's source, `#| output: false` its
outputs, and directive lines never reach the page; then nbconvert renders markdown.
`--check` fails when README.md differs from what the notebook gives.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parent.parent
_directive = re.compile(r'^\s*#\|\s*(.*?)\s*$')


def _directives(src):
    "The cell's `#| ...` directives (as lower-cased strings) and its source without them."
    found, kept = [], []
    for line in src.splitlines():
        m = _directive.match(line)
        if m: found.append(m.group(1).lower())
        else: kept.append(line)
    return found, '\n'.join(kept).strip('\n')


def _process(nb):
    "Apply nbdev's documentation directives to `nb` in place."
    cells = []
    for cell in nb.cells:
        found, src = _directives(cell.source) if cell.cell_type == 'code' else ([], cell.source)
        if any(d in ('hide', 'export', 'exporti', 'exports') or d.startswith('default_exp') for d in found):
            continue
        cell.source = src
        if cell.cell_type == 'code':
            if any(d.replace(' ', '') == 'output:false' for d in found): cell.outputs = []
            if any(d.replace(' ', '') == 'echo:false' for d in found): cell.source = ''
            cell.outputs = [o for o in cell.outputs if o.get('output_type') != 'error']
        cells.append(cell)
    nb.cells = [c for c in cells if c.source or c.get('outputs')]
    return nb


def render():
    "README.md's text, rendered from nbs/index.ipynb."
    nb = _process(nbformat.read(ROOT / 'nbs' / 'index.ipynb', as_version=4))
    exporter = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    return '<!-- Generated from nbs/index.ipynb by `make readme`: edit the notebook, not this file. -->\n\n' + body


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--check', action='store_true', help='fail if README.md is out of date')
    args = parser.parse_args()
    text, readme = render(), ROOT / 'README.md'
    if args.check:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `make readme` and commit it.')
        print('README sync: ok')
    else:
        readme.write_text(text, encoding='utf-8')
        print(f'wrote {readme}')


if __name__ == '__main__':
    main()
