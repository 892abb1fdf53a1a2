"""The kernel editor in a real browser: JupyterLab + Debian's Chromium, driven by Playwright.

The notebook tests check the editor's Python side. This test checks what only a browser can: that the widgets
render in JupyterLab, that typing into a kernel cell reaches the kernel, and that the new picture comes back.
"""
from conftest import write_notebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CELLS = ['from lesson_kit.kernel_editor import KernelEditor\ned = KernelEditor("chelsea")\ned',
         'print("kernel:", ed.kernel.tolist())']


def _output_picture(page):
    "The output image's `src` (a new blob URL each time the picture changes) and its natural size."
    return page.eval_on_selector('img.lk-output-view', 'e => [e.src, e.naturalWidth, e.naturalHeight]')


def test_kernel_editor_in_jupyterlab(tmp_path, lab_factory, open_notebook):
    write_notebook(tmp_path/'editor.ipynb', CELLS)
    lab = lab_factory(tmp_path)
    nb = open_notebook(lab, 'editor.ipynb')
    nb.run_all()
    page = nb.page

    # The editor rendered: its box, a 3×3 grid of cells holding the sharpen preset, and both pictures.
    try: page.wait_for_selector('.lk-kernel-editor', state='visible', timeout=30_000)
    except PlaywrightTimeout:
        nb.screenshot('kernel_editor_failed')
        raise AssertionError(f'the kernel editor did not render in JupyterLab; errors: {nb.errors()}') from None
    cells = page.locator('.lk-kernel-cell input')
    assert cells.count() == 9, f'expected 9 kernel cells, found {cells.count()}'
    assert [cells.nth(i).input_value() for i in range(9)] == ['0', '-1', '0', '-1', '5', '-1', '0', '-1', '0']
    page.wait_for_function("() => { const e = document.querySelector('img.lk-output-view');"
                           " return e && e.naturalWidth > 0; }", timeout=30_000)
    src, w, h = _output_picture(page)
    assert (w, h) == (449, 298), (w, h)                     # chelsea is 451×300; a 3×3 kernel, no padding
    before = page.locator('img.lk-output-view').screenshot()

    # Type a new centre value and press Enter, as a learner would.
    centre = cells.nth(4)
    centre.click()
    centre.fill('9')
    centre.press('Enter')
    page.wait_for_function(f"() => document.querySelector('img.lk-output-view').src !== {src!r}", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.lk-explanation').textContent.includes('9')",
                           timeout=10_000)
    after = page.locator('img.lk-output-view').screenshot()
    assert after != before, 'the output picture looks the same after the kernel changed'
    assert 'custom' in page.locator('.lk-preset select').input_value()

    # The kernel in Python got the new value.
    nb.run_cell(1)
    page.wait_for_function("() => document.body.innerText.includes('kernel: [[0.0, -1.0, 0.0], [-1.0, 9.0')",
                           timeout=20_000)
    page.set_viewport_size({'width': 1400, 'height': 1500})   # room for the whole editor in the screenshot
    page.eval_on_selector('.lk-kernel-editor', 'e => e.scrollIntoView()')
    page.wait_for_timeout(300)
    shot = nb.screenshot('kernel_editor')
    assert shot.stat().st_size > 10_000
    assert nb.errors() == [], nb.errors()
