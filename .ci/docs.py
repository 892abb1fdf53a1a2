"""`make docs`: the documentation site, built from the notebooks, in _docs/ (open _docs/index.html from disk).

Pages: the README as the home page, then the three lessons as `make lesson` runs them (offline, on the bundled
sample; the executed notebooks in out/ are reused while they are newer than the lessons and the package, and run
again otherwise), then one page per module notebook with the outputs saved in it, then BENCHMARKS.md.
nbdev's cell directives are applied as nbdev's own site would: `#| hide` cells are left out, `#| echo: false` hides a
cell's code, `#| output: false` its outputs, and the directive lines themselves are not shown.
Nothing a reader needs comes from the network: widgets are drawn from their saved state, pictures from the web
become their alt text, and plain `$...$` maths is written out as HTML, so the notebook template's MathJax (a CDN
script) is replaced by an empty local one. Every page lies at the top of the site (lesson1.html, 03_data.html).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
OUT, LESSONS, NBS = ROOT/'out', ROOT/'nbs'/'lessons', ROOT/'nbs'
STAGE, SITE = ROOT/'_proc'/'docs_src', ROOT/'_docs'
GIT_URL = 'https://github.com/lesson-kit/lesson_kit/blob/main/'
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*?)\s*$')
WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'
NOT_DRAWN = '<p class="lk-widget-note"><em>An interactive widget: run this notebook in Jupyter to use it.</em></p>'
# A picture from the web (`![alt](https://...)`, e.g. the "Open in Colab" badge) would not load offline: its alt text.
WEB_IMAGE = re.compile(r'!\[([^\]]*)\]\(https?://[^)\s]+\)')
# `$k$`, `$(512 + 0 - 3)/1 + 1 = 510$`, `$\left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1$`: inline maths
# that HTML can show with a few symbols. Anything else is left as it is (and the docs test reports it).
INLINE_MATHS = re.compile(r'(?<![\\$])\$([^$\n]+)\$(?!\$)')
DISPLAY_MATHS = re.compile(r'\$\$([^$]+)\$\$')
TEX_SYMBOLS = {r'\left': '', r'\right': '', r'\lfloor': '⌊', r'\rfloor': '⌋', r'\lceil': '⌈', r'\rceil': '⌉',
               r'\times': '×', r'\cdot': '·', r'\le': '≤', r'\ge': '≥', r'\ne': '≠', r'\approx': '≈'}
FRAC = re.compile(r'\\frac\{([^{}]*)\}\{([^{}]*)\}')
CODE = re.compile(r'(```.*?```|`[^`\n]*`)', re.S)


def _tex_to_text(tex):
    "Plain text for the TeX `tex`, or None where it uses more than fractions and the symbols above."
    group = lambda t: t if re.fullmatch(r'\w+', t.strip()) else f'({t.strip()})'  # noqa: E731
    text = FRAC.sub(lambda m: f'{group(m.group(1))}/{group(m.group(2))}', tex)
    text = re.sub(r'\\[A-Za-z]+', lambda m: TEX_SYMBOLS.get(m.group(0), m.group(0)), text)
    if re.search(r'[\\{}^_]', text): return None
    return re.sub(r'\s+([⌋⌉])', r'\1', re.sub(r'([⌊⌈])\s+', r'\1', re.sub(r'\s+', ' ', text))).strip()


def plain_maths(markdown):
    "`markdown` with its simple `$...$` maths as HTML (letters in italics), so no MathJax is needed to read it."
    def html_maths(m, tag='span', style=''):
        text = _tex_to_text(m.group(1))
        if text is None: return m.group(0)
        letters = re.sub(r'(?<![A-Za-z])([A-Za-z])(?![A-Za-z])', r'<i>\1</i>', html.escape(text))
        return f'<{tag} class="lk-maths"{style}>{letters}</{tag}>'
    def prose(text):
        display = DISPLAY_MATHS.sub(lambda m: html_maths(m, 'div', ' style="text-align:center"'), text)
        return INLINE_MATHS.sub(html_maths, display)
    parts = CODE.split(markdown)          # code (`$HOME`, fenced blocks) is left exactly as written
    return ''.join(part if i % 2 else prose(part) for i, part in enumerate(parts))


def _directives(source):
    "nbdev's `#| ...` directives in a cell's `source`, as a set of lower-case strings ('hide', 'echo: false')."
    return {m.group(1).lower() for line in source.splitlines() if (m := DIRECTIVE.match(line))}


def _model(state, ref):
    "The saved model of widget `ref` ('IPY_MODEL_<id>' or '<id>') in notebook widget `state`, or {}."
    return state.get(str(ref).replace('IPY_MODEL_', '')) or {}


def _label(text):
    return f'<label>{html.escape(text)}</label> ' if text else ''


def _image(model, st):
    "An Image widget's picture, from the binary buffer saved with it."
    data = next((b['data'] for b in model.get('buffers', []) if b.get('path') == ['value']), None)
    if data is None: return None
    alt = html.escape(st.get("description") or "")
    return f'<img src="data:image/{st.get("format") or "png"};base64,{data}" alt="{alt}">'


def _choice(st):
    "The label of a selection widget's chosen option."
    labels, i = st.get('_options_labels', []), st.get('index')
    return labels[i] if isinstance(i, int) and 0 <= i < len(labels) else ''


def _output_html(st):
    "An Output widget's saved outputs: pictures, HTML and text."
    parts = []
    for o in st.get('outputs', []):
        data = o.get('data', {})
        if 'image/png' in data: parts.append(f'<img src="data:image/png;base64,{data["image/png"]}" alt="">')
        elif 'text/html' in data: parts.append(''.join(data['text/html']))
        elif o.get('text') or 'text/plain' in data:
            parts.append(f'<pre>{html.escape("".join(o.get("text") or data["text/plain"]))}</pre>')
    return ''.join(parts)


def _control(name, st, width):
    "A control (text box, menu, slider, buttons) drawn disabled, showing the value it was saved with; else None."
    value, disabled = html.escape(str(st.get('value', ''))), 'disabled'
    if name in ('TextModel', 'IntTextModel', 'FloatTextModel', 'BoundedIntTextModel', 'BoundedFloatTextModel'):
        return f'<input {disabled} value="{value}" style="width:{width or "6em"}">'
    if name in ('DropdownModel', 'SelectModel'):
        return f'<select {disabled}><option selected>{html.escape(_choice(st))}</option></select>'
    if name == 'ToggleButtonsModel':
        bold = lambda o: ' style="font-weight:bold" aria-pressed="true"' if o == _choice(st) else ''  # noqa: E731
        return ''.join(f'<button {disabled}{bold(o)}>{html.escape(o)}</button>' for o in st.get('_options_labels', []))
    if name in ('IntSliderModel', 'FloatSliderModel', 'FloatLogSliderModel'):
        return (f'<input type="range" {disabled} min="{st.get("min", 0)}" max="{st.get("max", 100)}" '
                f'step="any" value="{st.get("value", 0)}"> <span>{value}</span>')
    if name == 'CheckboxModel':
        return f'<input type="checkbox" {disabled}{" checked" if st.get("value") else ""}>'
    if name in ('ButtonModel', 'FileUploadModel'):
        return f'<button {disabled}>{html.escape(st.get("description") or "Upload")}</button>'
    return None


def widget_html(state, ref):
    "Static HTML for widget `ref` as it was when the notebook was saved ('' when hidden), or None if not drawable."
    model = _model(state, ref)
    name, st = model.get('model_name'), model.get('state', {})
    layout = _model(state, st.get('layout')).get('state', {})
    if layout.get('visibility') == 'hidden' or layout.get('display') == 'none': return ''
    desc = st.get('description') or ''
    if name in ('HBoxModel', 'VBoxModel', 'BoxModel', 'GridBoxModel'):
        parts = [widget_html(state, c) for c in st.get('children', [])]
        if any(p is None for p in parts): return None
        if name == 'GridBoxModel':
            cols = layout.get('grid_template_columns') or 'repeat(3, auto)'
            box = f'display:grid;grid-template-columns:{cols};gap:0.2em;justify-content:start'
        else: box = f'display:flex;flex-flow:{"column" if name == "VBoxModel" else "row"} wrap;gap:0.4em'
        return f'<div class="lk-static-widget" style="{box};align-items:center">{"".join(parts)}</div>'
    if name in ('HTMLModel', 'HTMLMathModel'): return f'<span>{_label(desc)}{st.get("value", "")}</span>'
    if name == 'LabelModel': return f'<span>{_label(desc)}{html.escape(st.get("value", ""))}</span>'
    if name in ('FloatProgressModel', 'IntProgressModel'):
        style = st.get('bar_style') or 'plain'
        return (f'{_label(desc)}<progress class="lk-progress lk-progress-{style}" value="{st.get("value", 0)}" '
                f'max="{st.get("max", 100)}" style="flex:1;min-width:10em"></progress>')
    if name == 'ImageModel': return _image(model, st)
    if name == 'OutputModel': return _output_html(st)
    control = _control(name, st, layout.get('width'))
    if control is None: return None
    if name in ('ButtonModel', 'FileUploadModel'): return control
    return f'<span>{_label(desc)}{control}</span>'


def _static_outputs(outputs, state):
    "`outputs` with each widget drawn as static HTML from its saved `state` (or, if not drawable, its text)."
    kept = []
    for o in outputs:
        if WIDGET_VIEW in o.get('data', {}):
            drawn = widget_html(state, o.data[WIDGET_VIEW].get('model_id'))
            o.data = {k: v for k, v in o.data.items() if k != WIDGET_VIEW}
            if drawn == '': continue
            if drawn is None: drawn = NOT_DRAWN
            o.data = {'text/html': drawn, 'text/plain': o.data.get('text/plain', '')}
        kept.append(o)
    return kept


def docs_cells(nb):
    "The cells of notebook `nb` as nbdev's site shows them: hidden cells dropped, directive lines removed."
    # Live widgets need a widget manager from a CDN: draw them from their saved state instead.
    widgets = nb.metadata.pop('widgets', {}).get('application/vnd.jupyter.widget-state+json', {})
    cells, state = [], widgets.get('state', {})
    for cell in nb.cells:
        d = _directives(cell.source)
        if 'hide' in d or 'include: false' in d: continue
        if cell.cell_type == 'markdown': cell.source = plain_maths(WEB_IMAGE.sub(r'\1', cell.source))
        if cell.cell_type == 'code':
            cell.outputs = _static_outputs(cell.outputs, state)
            cell.source = '\n'.join(line for line in cell.source.splitlines() if not DIRECTIVE.match(line)).strip()
            if 'output: false' in d: cell.outputs = []
            if 'echo: false' in d or not cell.source:
                if not cell.outputs: continue
                cell.metadata.setdefault('tags', []).append('docs-hide-input')
        cells.append(cell)
    nb.cells = cells
    return nb


def title(nb, default):
    "The first level-1 heading of notebook `nb`, or `default`."
    for cell in nb.cells:
        if cell.cell_type != 'markdown': continue
        for line in cell.source.splitlines():
            if line.startswith('# '): return line[2:].strip()
    return default


def _stale(executed, sources):
    "Whether `executed` is missing or older than any of `sources`."
    return not executed.exists() or any(s.stat().st_mtime > executed.stat().st_mtime for s in sources)


def executed_lessons(lessons=LESSONS, out=OUT, run=None):
    "The lesson notebooks executed offline, as `make lesson` writes them to out/; runs the lessons when stale."
    names = sorted(p.name for p in lessons.glob('*.ipynb'))
    package = list((ROOT/'lesson_kit').rglob('*.py'))
    if any(_stale(out/n, [lessons/n, *package]) for n in names):
        print('docs: running the lessons offline first (`make lesson`), as they are newer than out/', flush=True)
        (run or _run_lessons)()
    return [out/n for n in names]


def _run_lessons():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')])))
    subprocess.run([sys.executable, str(ROOT/'.ci'/'run_lessons.py')], env=env, cwd=ROOT, check=True)


def home_page(readme):
    "The README's text for the home page: links to notebooks go to their pages, other repo files to GitHub."
    def link(m):
        target = m.group(2)
        if re.match(r'[a-z]+:|#', target): return m.group(0)
        name = Path(target).name
        if target.endswith('.ipynb') or name == 'BENCHMARKS.md': return f'{m.group(1)}({name})'
        return f'{m.group(1)}({GIT_URL}{target})'
    text = re.sub(r'^<!--.*?-->\n', '', readme, flags=re.S)
    return re.sub(r'(\[[^\]]*\])\(([^)\s]+)\)', link, text)


def _local_files(md):
    "Relative paths of the repository files (pictures, data) that the Markdown file `md` links to or shows."
    found = re.findall(r'\]\(([^)\s#]+)\)|<img [^>]*src="([^"]+)"', md.read_text())
    return sorted({p for pair in found for p in pair if p and not re.match(r'[a-z]+:|/', p)
                   and not p.endswith(('.md', '.ipynb')) and (ROOT/p).is_file()})


def _write_nb(nb, dest):
    docs_cells(nb)
    nbformat.write(nb, str(dest))
    return nb


def stage(lessons, modules, stage_dir=STAGE):
    "Copy every page into `stage_dir`; return the navigation as [(section, [(label, file)])]."
    if stage_dir.exists(): shutil.rmtree(stage_dir)
    stage_dir.mkdir(parents=True)
    (stage_dir/'index.md').write_text(home_page((ROOT/'README.md').read_text()))
    nav_lessons, nav_api = [], []
    for path in lessons:
        nb = _write_nb(nbformat.read(str(path), as_version=4), stage_dir/path.name)
        nav_lessons.append((title(nb, path.stem), path.name))
    for path in modules:
        nb = _write_nb(nbformat.read(str(path), as_version=4), stage_dir/path.name)
        module = path.stem.split('_', 1)[1] if '_' in path.stem else path.stem
        nav_api.append((f'{module}: {title(nb, path.stem)}', path.name))
    shutil.copy(ROOT/'BENCHMARKS.md', stage_dir/'BENCHMARKS.md')
    for pic in _local_files(ROOT/'BENCHMARKS.md'):   # the plots it links to (bench/scale_lesson.png)
        (stage_dir/pic).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT/pic, stage_dir/pic)
    _no_mathjax(stage_dir/'assets'/'javascripts'/'no-mathjax.js')
    return [('Home', 'index.md'), ('Lessons', nav_lessons), ('API', nav_api), ('Benchmarks', 'BENCHMARKS.md')]


def _no_mathjax(dest):
    "An empty script where the notebook template loads MathJax from a CDN: plain maths is written out as HTML."
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text('// lesson_kit docs: maths is rendered when the site is built (.ci/docs.py, plain_maths).\n')


def _nav_yaml(nav):
    "The `nav` entries in mkdocs' format (JSON is YAML)."
    def entry(label, value):
        return {label: [entry(*e) for e in value] if isinstance(value, list) else value}
    return [entry(*e) for e in nav]


def build(site=SITE, lessons=None, run=None):
    "Stage the pages and run `mkdocs build` into `site`; return the navigation."
    lessons = lessons if lessons is not None else executed_lessons(run=run)
    modules = sorted(p for p in NBS.glob('*.ipynb') if p.name != 'index.ipynb')
    nav = stage(lessons, modules)
    config = STAGE.parent/'mkdocs.yml'
    config.write_text(json.dumps({'INHERIT': str(ROOT/'mkdocs.yml'), 'docs_dir': str(STAGE),
                                  'site_dir': str(site), 'nav': _nav_yaml(nav),
                                  'hooks': [str(ROOT/'.ci'/'docs_hooks.py')]}, indent=1))
    env = dict(os.environ, NO_MKDOCS_2_WARNING='1')
    subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--quiet', '--clean', '-f', str(config)],
                   cwd=ROOT, check=True, env=env)
    print(f'docs: wrote {site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}/ '
          f'({sum(len(v) if isinstance(v, list) else 1 for _, v in nav)} pages); open {site/"index.html"}')
    return nav


if __name__ == '__main__':
    build()
