"""Re-run notebooks in place and store their outputs with stable metadata.

Usage: python tools/execute_notebooks.py chapters/x/01_y.ipynb [more.ipynb ...]

Each notebook runs in a fresh `python3` kernel with its own folder as the working directory. After a
successful run the notebook is normalised so that re-executing an unchanged notebook gives no diff:

- `metadata.widgets` (saved widget state) is removed: MyST-NB would otherwise add require.js and the
  widget manager from a CDN to the page, and the state changes on every run;
- execution timing and other volatile per-cell metadata are dropped;
- the kernelspec and language_info are set to fixed values (no Python patch version);
- execution counts run 1, 2, 3, ... in order;
- widget views get a model_id derived from the cell id and the output's position instead of a random
  one (the widget state is not saved, so the id refers to nothing once the kernel is gone).

A cell that raises stops the run and leaves the file untouched, unless the cell is tagged
`raises-exception`.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
# Cell metadata keys written by tools or front-ends that change from run to run.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_NAMESPACE = uuid.UUID("5d3c1c52-4f6e-4a55-9b0e-2d7a8f7c6a11")
DEFAULT_TIMEOUT = 900  # seconds per cell


def _coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout (or stderr) chunks: how the kernel splits a cell's prints depends
    on timing, so the same output would otherwise be stored in a different number of pieces."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")):
            text = prev["text"] if isinstance(prev["text"], str) else "".join(prev["text"])
            more = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            prev["text"] = text + more
        else:
            merged.append(out)
    return merged


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata in place (see the module docstring) and return the notebook."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    count = 0
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
            if cell.outputs or cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
                for position, out in enumerate(cell.outputs):
                    if out.get("output_type") == "execute_result":
                        out["execution_count"] = count
                    view = out.get("data", {}).get(WIDGET_VIEW)
                    if isinstance(view, dict) and "model_id" in view:
                        key = f"{cell.get('id', count)}/{position}"
                        view["model_id"] = uuid.uuid5(_WIDGET_NAMESPACE, key).hex
            else:
                cell.execution_count = None
    return nb


def execute_notebook(path: Path | str, timeout: int = DEFAULT_TIMEOUT) -> nbformat.NotebookNode:
    """Execute the notebook at `path` in place; return the normalised notebook that was written."""
    path = Path(path)
    if path.suffix != ".ipynb":
        raise ValueError(f"execute_notebook: path {str(path)!r} is not a .ipynb file")
    if not path.is_file():
        raise ValueError(f"execute_notebook: path {str(path)!r} does not exist")
    if not isinstance(timeout, int) or timeout <= 0:
        raise ValueError(f"execute_notebook: timeout must be a positive int, got {timeout!r}")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,
    )
    client.execute()
    normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)
    failed = []
    for path in args.notebooks:
        start = time.perf_counter()
        try:
            execute_notebook(path, timeout=args.timeout)
        except Exception as exc:  # report every notebook, then fail
            failed.append(path)
            print(f"FAILED {path}: {type(exc).__name__}: {str(exc).strip()[-2000:]}", file=sys.stderr)
        else:
            print(f"executed {path} in {time.perf_counter() - start:.1f} s")
    if failed:
        print(f"{len(failed)} of {len(args.notebooks)} notebooks failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
