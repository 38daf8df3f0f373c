"""Driving a real JupyterLab with Playwright (the real-client test and `make bench` use this).

A notebook is opened at ``lab/tree/<path>?token=...&reset`` in its own page (its own kernel), run
with the Run menu's "Run All Cells", and read back through the notebook model of the page
(``window.jupyterapp``, exposed by ``tools/lab.py``'s isolated server). Requests that leave
127.0.0.1 are blocked and recorded (nothing may load from the internet).

Explorer sliders are ipywidgets noUiSlider handles, moved with the arrow keys once focused; the
redraw time is measured in the page, from the keydown event to the ``load`` event of the explorer's
new image (the new PNG decoded), with ``performance.now()``.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

# Tables of the run, filled by test_lab.py and printed by conftest.py at the end.
LATENCY: dict[str, list[tuple[str, float, float]]] = {}
PHASES: dict[str, dict[str, float]] = {}

REPO = Path(__file__).resolve().parents[2]
KERNEL_JS = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status : null; }"""
# Per code cell: its source, execution count and outputs (mime types only, text of streams/errors).
CELLS_JS = """() => { const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.filter(c => c.model.type === 'code').map(c => { const j = c.model.toJSON();
    return {source: Array.isArray(j.source) ? j.source.join('') : j.source,
            execution_count: j.execution_count,
            outputs: (j.outputs || []).map(o => ({output_type: o.output_type, name: o.name || null,
              text: o.text ? (Array.isArray(o.text) ? o.text.join('') : o.text) : null,
              ename: o.ename || null, evalue: o.evalue || null,
              mimes: o.data ? Object.keys(o.data) : []}))}; }); }"""
BUSY_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
  .some(p => p.textContent.includes('*'))"""
# Latency probe on one explorer widget: keydown -> load of its <img> (a new blob: PNG); every
# loaded src is kept, so each press can be checked to have given a new image.
PROBE_JS = """(root) => { const img = root.querySelector('img');
  if (!root.__afx) { root.__afx = {t0: null, times: [], srcs: []};
    root.addEventListener('keydown', () => { root.__afx.t0 = performance.now(); }, true);
    img.addEventListener('load', () => { const a = root.__afx; if (a.t0 === null) return;
      a.times.push(performance.now() - a.t0); a.srcs.push(img.getAttribute('src')); a.t0 = null; }); }
  return img.getAttribute('src'); }"""
AT_MAX_JS = """([root, h]) => [root.__afx.times.length,
  h.getAttribute('aria-valuenow') === h.getAttribute('aria-valuemax')]"""


class External(list):
    """URLs the page tried to load from outside the server (blocked)."""


def open_notebook(context, lab, rel: str, timeout: float = 120_000):
    """A new page with the notebook ``rel`` (relative to the server's root) open and its kernel idle."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.external = External()
    page.console_errors = []

    def route(r):
        u = r.request.url
        if u.startswith(lab.base) or u.startswith(("data:", "blob:")):
            r.continue_()
        else:
            page.external.append(u)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(lab.url(f"lab/tree/{rel}") + "&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout)
    page.wait_for_function(f"() => ({KERNEL_JS})() === 'idle'", timeout=timeout)
    return page


def open_in(page, rel: str, timeout: float = 120_000) -> None:
    """Open the notebook ``rel`` in the JupyterLab already running in ``page`` (as a double click
    in the file browser does: the ``docmanager:open`` command); wait for its kernel."""
    page.evaluate("p => window.jupyterapp.commands.execute('docmanager:open', {path: p}).then(() => null)", rel)
    page.wait_for_function("""(p) => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path === p && w.content && w.content.widgets.length > 0; }""",
                           arg=rel, timeout=timeout)
    page.wait_for_function(f"() => ({KERNEL_JS})() === 'idle'", timeout=timeout)


def close_current(page) -> None:
    """Close the current notebook without saving it (its live outputs are not written to disk)."""
    page.evaluate("""() => { const w = window.jupyterapp.shell.currentWidget;
        if (w && w.context) { w.context.model.dirty = false; w.dispose(); } }""")


def run_all(page) -> None:
    """Run ▸ Run All Cells, as a reader does."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_finished(page, timeout: float = 180) -> list[dict]:
    """Wait until no cell shows ``[*]`` and the kernel is idle (twice in a row); the cells then."""
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 2:
        busy = page.evaluate(BUSY_JS) or page.evaluate(KERNEL_JS) != "idle"
        calm = 0 if busy else calm + 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"the notebook still runs after {timeout:.0f} s")
        page.wait_for_timeout(250)
    return page.evaluate(CELLS_JS)


def problems(cells: list[dict]) -> list[str]:
    """Errors, stderr, and code cells that did not run."""
    out = []
    for c in cells:
        head = c["source"].strip().splitlines()[0][:60] if c["source"].strip() else ""
        if c["source"].strip() and c["execution_count"] is None:
            out.append(f"not executed: {head!r}")
        for o in c["outputs"]:
            if o["output_type"] == "error":
                out.append(f"error in {head!r}: {o['ename']}: {o['evalue']}")
            if o["output_type"] == "stream" and o["name"] == "stderr":
                out.append(f"stderr in {head!r}: {o['text'][:300]!r}")
    return out


def explorer(page, index: int = 0):
    """The live view of the notebook's ``index``-th explorer (sliders + image)."""
    w = page.locator(".jp-OutputArea-output .afx-widget").nth(index)
    w.scroll_into_view_if_needed()
    w.locator("img").wait_for()
    return w


def sliders(widget):
    """(label, handle) of every slider of an explorer widget, in order."""
    out = []
    for s in widget.locator(".widget-slider").all():
        out.append((s.locator(".widget-label").inner_text().strip(), s.locator(".noUi-handle")))
    return out


def move(page, widget, handle, presses: int = 1, timeout: float = 20_000) -> list[float]:
    """Press an arrow key on ``handle`` ``presses`` times (right, or left at the end of the range);
    returns the key-press-to-new-image time of each press in ms. Each press must redraw the figure
    (a new image src that loads)."""
    root = widget.element_handle()
    h = handle.element_handle()
    first_src = page.evaluate(PROBE_JS, root)
    n0 = root.evaluate("r => r.__afx.times.length")
    handle.focus()
    for _ in range(presses):
        n, at_max = page.evaluate(AT_MAX_JS, [root, h])
        handle.press("ArrowLeft" if at_max else "ArrowRight")
        page.wait_for_function("([r, n]) => r.__afx.times.length > n", arg=[root, n], timeout=timeout)
    times, srcs = root.evaluate("r => [r.__afx.times, r.__afx.srcs]")
    times, srcs = times[n0:], [first_src if n0 == 0 else srcs[n0 - 1]] + srcs[n0:]
    if any(a == b for a, b in zip(srcs, srcs[1:])):
        raise AssertionError("a key press on the slider did not give the explorer a new image")
    return times


def quiz_question(page, qtype: str | None = None):
    """The first quiz question in the notebook's outputs whose script has run (of type ``qtype``
    if the quiz has one, else the first of any type)."""
    sel = ".jp-OutputArea-output .afx-quiz[data-afx-ready] .afx-question"
    if qtype and page.locator(f'{sel}[data-type="{qtype}"]').count():
        sel += f'[data-type="{qtype}"]'
    q = page.locator(sel).first
    q.scroll_into_view_if_needed()
    return q


def feedback_after_check(question) -> tuple[str, str]:
    """Press "Check"; (class of the feedback: 'afx-correct'/'afx-incorrect'/'', its text)."""
    fb = question.locator("div.afx-feedback")
    fb.evaluate("f => { f.innerHTML = ''; f.className = 'afx-feedback'; }")  # no stale answer
    question.locator("button.afx-check").click()
    fb.locator("p").first.wait_for()
    return tuple(fb.evaluate("""f => [f.classList.contains('afx-correct') ? 'afx-correct' :
        f.classList.contains('afx-incorrect') ? 'afx-incorrect' : '', f.innerText]"""))


# The checker's report, at the end of a cell's output (the cell may print the reader's code first).
CHECK_REPORT = re.compile(r"^Checking your function against A\.\w+ \((\d+) checks\)\n.*\n"
                          r"(✔ all \1 checks passed|✘ \d+ of \1 checks failed)\s*\Z", re.S | re.M)
