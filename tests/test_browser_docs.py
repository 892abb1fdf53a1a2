"""The docs site as a reader sees it: built by `make docs`'s code, opened from disk (file://) in Debian's Chromium.

The site must read with no network: the test refuses every request that is not a file on disk and fails if any page
asked for one. It visits every page in the navigation and checks that each loads with no console error, that every
internal link and picture resolves, that the lessons come first in the navigation, that each lesson page shows the
plots its executed notebook holds, that progress bars show their final state, and that no maths is left as TeX source.
"""
import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import nbformat
import pytest
from conftest import ROOT

_spec = importlib.util.spec_from_file_location('docs_build', ROOT/'.ci'/'docs.py')
docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs)

IMAGE_MIMES = ('image/png', 'image/jpeg', 'image/svg+xml')


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The site built into a scratch folder, and its navigation as .ci/docs.py made it."
    dest = tmp_path_factory.mktemp('site')/'_docs'
    nav = docs.build(site=dest)
    return dest, nav


@pytest.fixture
def reader(page):
    "The tab, recording console errors and refusing (and recording) every request that is not a file on disk."
    page.console_errors, page.web_requests = [], []
    page.on('console', lambda m: m.type == 'error' and page.console_errors.append(f'{m.text} ({m.location})'))
    def refuse(route):
        page.web_requests.append(route.request.url)
        route.abort()
    page.route(re.compile(r'^(?!file:|data:|blob:|about:).*'), refuse)
    return page


def _pages(nav):
    "Every (label, file) of the navigation, in order."
    return [p for _, v in nav for p in (v if isinstance(v, list) else [(_, v)])]


def _html_name(src):
    return re.sub(r'\.(ipynb|md)$', '.html', src)


def _ids(path):
    "The element ids in the HTML file at `path` (to check `#fragment` links)."
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding='utf-8')))


def _check_links(page, site):
    "Problems with the page's internal links: a target file missing, or its #fragment not on the target page."
    problems = []
    for href in page.eval_on_selector_all('a[href]', 'as => as.map(a => a.href)'):
        url, frag = urldefrag(href)
        if not url.startswith('file:'): continue
        target = Path(unquote(urlparse(url).path))
        if not target.is_file(): problems.append(f'link to a missing file: {href}')
        elif frag and target.suffix == '.html' and unquote(frag) not in _ids(target):
            problems.append(f'link to a missing anchor: {href}')
    return problems


def _images(page):
    "(src, naturalWidth, naturalHeight, inside an output area) of every picture once all have loaded."
    page.wait_for_function('() => [...document.images].every(i => i.complete)', timeout=30_000)
    return page.eval_on_selector_all('img', 'ims => ims.map(i => [i.src.slice(0, 80), i.naturalWidth, '
                                           'i.naturalHeight, !!i.closest(".jp-OutputArea-output")])')


def _saved_images(src):
    "How many pictures the staged notebook `src` holds in its outputs (plots, and pictures in widgets drawn as HTML)."
    nb = nbformat.read(str(src), as_version=4)
    outputs = [o.get('data', {}) for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    return sum(any(m in d for m in IMAGE_MIMES) + ''.join(d.get('text/html', '')).count('<img ') for d in outputs)


def test_docs_site_offline(site, reader):
    dest, nav = site
    page = reader
    labels = [label for label, _ in nav]
    assert labels[:2] == ['Home', 'Lessons'], f'the lessons should come first in the navigation: {labels}'
    lessons = [f for _, f in nav[1][1]]
    assert lessons == sorted(p.name for p in docs.LESSONS.glob('*.ipynb')), lessons

    page.goto((dest/'index.html').as_uri())
    shown = page.eval_on_selector_all('.md-sidebar--primary a.md-nav__link[href]', 'as => as.map(a => a.href)')
    shown_files = [Path(unquote(urlparse(h).path)).name for h in shown]
    expected = [_html_name(f) for _, f in _pages(nav)]
    assert [f for f in shown_files if f in expected] == expected or set(expected) <= set(shown_files), \
        f'the navigation on the page lacks pages: {sorted(set(expected) - set(shown_files))}'

    problems = []
    for label, src in _pages(nav):
        name = _html_name(src)
        page.console_errors.clear()
        page.js_errors.clear()
        page.goto((dest/name).as_uri())
        page.wait_for_load_state('load')
        page.wait_for_timeout(200)
        ims = _images(page)
        problems += [f'{name}: picture did not load: {s}' for s, w, h, _ in ims if not (w and h)]
        problems += [f'{name}: {p}' for p in _check_links(page, dest)]
        if src.endswith('.ipynb'):
            saved = _saved_images(docs.STAGE/src)
            drawn = sum(1 for _, w, h, out in ims if out and w and h)
            if drawn != saved: problems.append(f'{name}: {saved} plots in the notebook, {drawn} drawn on the page')
            if src in lessons and src != 'lesson0_notebooks.ipynb' and not drawn:
                problems.append(f'{name}: a lesson page with no plots')
        raw = page.eval_on_selector_all('.jp-RenderedMarkdown', 'es => es.map(e => e.textContent)')
        problems += [f'{name}: maths shown as TeX source: {m}' for t in raw for m in re.findall(r'\$[^$\n]+\$', t)]
        problems += [f'{name}: console error: {e}' for e in page.console_errors]
        problems += [f'{name}: script error: {e}' for e in page.js_errors]
        if name == 'lesson1.html': problems += _check_progress(page)
    problems += [f'asked the network for {u}' for u in sorted(set(page.web_requests))]
    assert not problems, 'the docs site read from disk:\n' + '\n'.join(problems)


def _check_progress(page):
    "Problems with lesson 1's progress bars: none full, or one whose bar and counter disagree (not its final state)."
    bars = page.eval_on_selector_all('progress', 'ps => ps.map(p => [p.value, p.max, p.parentElement.textContent])')
    # A finished bar is saved as its last line of text (`epoch: 100%|███| 2/2 [...]`), a live one as a widget.
    text = ' '.join(page.eval_on_selector_all('pre', 'es => es.map(e => e.textContent)'))
    done_text = re.findall(r'100%\|[^|]*\| (\d+)/\1 ', text)
    if not done_text and not any(v == m for v, m, _ in bars):
        return [f'lesson1.html: no finished progress bar shown: {bars}']
    if re.search(r'(?<!\d)0%\|[^|]*\| 0/\d+', text): return ['lesson1.html: a progress bar saved at 0%']
    # An LR finder that stops early ends at 80/100: final, not full. The counter must say where the bar is.
    return [f'lesson1.html: a progress bar whose counter does not match it: {json.dumps(b)}' for b in bars
            if f'{b[0]:g}/{b[1]:g}' not in b[2].replace('\u2007', ' ').replace(' ', '')]


# --- the build's notebook handling, without a browser

def _nb(cells, **metadata):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update(metadata)
    return nb


def test_docs_cells_apply_nbdev_directives():
    code = nbformat.v4.new_code_cell
    nb = _nb([code('#| hide\nfrom fastcore.test import *'), code('#| export\ndef f(): pass'),
              code('#| echo: false\nshow_doc(f)', outputs=[nbformat.v4.new_output('display_data',
                                                                                  {'text/markdown': 'f'})]),
              code('#| default_exp env'),
              nbformat.v4.new_markdown_cell('[![Open In Colab](https://colab.research.google.com/b.svg)](https://x)')])
    cells = docs.docs_cells(nb).cells
    assert [c.source for c in cells] == ['def f(): pass', 'show_doc(f)', '[Open In Colab](https://x)']
    assert cells[1].metadata.tags == ['docs-hide-input']


def test_widgets_drawn_from_saved_state():
    "A finished tqdm-style bar is drawn full from the saved widget state; a hidden (closed) one is left out."
    def m(name, **st): return {'model_name': name, 'state': st}
    state = {'b': m('HBoxModel', children=['IPY_MODEL_t', 'IPY_MODEL_p'], layout='IPY_MODEL_l'),
             't': m('HTMLModel', value='epoch: 100%'), 'p': m('FloatProgressModel', value=2.0, max=2.0,
                                                              bar_style='success'),
             'l': m('LayoutModel'), 'h': m('HBoxModel', children=['IPY_MODEL_t'], layout='IPY_MODEL_hl'),
             'hl': m('LayoutModel', visibility='hidden'), 'x': m('ColorPickerModel')}
    view = lambda i: nbformat.v4.new_output('display_data', {docs.WIDGET_VIEW: {'model_id': i}, 'text/plain': i})
    nb = _nb([nbformat.v4.new_code_cell('fit()', outputs=[view('b'), view('h'), view('x')])],
             widgets={'application/vnd.jupyter.widget-state+json': {'state': state}})
    outs = docs.docs_cells(nb).cells[0].outputs
    assert 'widgets' not in nb.metadata
    assert len(outs) == 2, outs
    assert '<progress class="lk-progress lk-progress-success" value="2.0" max="2.0"' in outs[0].data['text/html']
    assert 'epoch: 100%' in outs[0].data['text/html']
    assert outs[1].data == {'text/html': docs.NOT_DRAWN, 'text/plain': 'x'}   # one it cannot draw: a note


def test_kernel_editor_like_widgets_drawn_as_saved():
    "Pictures from their saved buffers, menus and text boxes showing their saved values, disabled."
    def m(name, **st): return {'model_name': name, 'state': st}
    state = {'v': m('VBoxModel', children=['IPY_MODEL_i', 'IPY_MODEL_d', 'IPY_MODEL_g']),
             'i': {**m('ImageModel', format='png'), 'buffers': [{'path': ['value'], 'data': 'iVBORw0K'}]},
             'd': m('DropdownModel', description='Preset', _options_labels=['sharpen', 'outline'], index=1),
             'g': m('GridBoxModel', children=['IPY_MODEL_t'], layout='IPY_MODEL_gl'),
             'gl': m('LayoutModel', grid_template_columns='repeat(3, 3em)'), 't': m('TextModel', value='-1')}
    out = docs.widget_html(state, 'v')
    assert '<img src="data:image/png;base64,iVBORw0K"' in out
    assert '<label>Preset</label> <select disabled><option selected>outline</option></select>' in out
    assert 'grid-template-columns:repeat(3, 3em)' in out and '<input disabled value="-1"' in out


def test_plain_maths_as_html():
    assert docs.plain_maths('a $k$ by $k$ kernel, $(512 - 3)/1 + 1 = 510$; $\\sum_i x$ and $5') == (
        'a <span class="lk-maths"><i>k</i></span> by <span class="lk-maths"><i>k</i></span> kernel, '
        '<span class="lk-maths">(512 - 3)/1 + 1 = 510</span>; $\\sum_i x$ and $5')
    assert docs.plain_maths(r'is $$\left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1$$') == (
        'is <div class="lk-maths" style="text-align:center">⌊(<i>n</i> + 2<i>p</i> - <i>k</i>)/<i>s</i>⌋ + 1</div>')


def test_code_keeps_its_dollars():
    text = 'run `echo $HOME` then `ls $TMP`, and\n```sh\nx=$a; y=$b\n```\nwith $k$'
    assert docs.plain_maths(text) == text.replace('$k$', '<span class="lk-maths"><i>k</i></span>')


def test_home_page_links():
    text = docs.home_page('<!-- generated -->\n[L1](nbs/lessons/lesson1.ipynb) [B](BENCHMARKS.md) '
                          '[S](settings.ini) [W](https://x.org/a) [A](#top)')
    assert text == ('[L1](lesson1.ipynb) [B](BENCHMARKS.md) '
                    f'[S]({docs.GIT_URL}settings.ini) [W](https://x.org/a) [A](#top)')


def test_stale_lessons_run_again(tmp_path):
    lessons, out = tmp_path/'lessons', tmp_path/'out'
    lessons.mkdir(), out.mkdir()
    (lessons/'l.ipynb').write_text('{}')
    ran = []
    assert docs.executed_lessons(lessons, out, run=lambda: ran.append(1)) == [out/'l.ipynb']
    assert ran == [1]                               # nothing executed yet: run
    (out/'l.ipynb').write_text('{}')
    import os
    import time
    future = time.time() + 100
    os.utime(out/'l.ipynb', (future, future))
    docs.executed_lessons(lessons, out, run=lambda: ran.append(2))
    assert ran == [1]                               # executed copy newer than the lesson and the package: reused
