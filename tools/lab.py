"""Start JupyterLab from the locked environment, serving the chapters (`make lab`).

    .venv/bin/python tools/lab.py              # chapters/ on http://127.0.0.1:8888 (or the next free
                                               # port); prints the URL; Ctrl-C stops the server
    .venv/bin/python tools/lab.py --port 8890
    .venv/bin/python tools/lab.py --check      # start on a free port, wait for /api/status, check
                                               # the chapters and the kernel, stop (tests run this)

The server listens on 127.0.0.1 only, with a random token, and fetches nothing from the internet
(no news feed, no update check, the read-only extension manager). Its kernel websockets send
without Nagle's delay (see `serve`): sliders of live widgets answer about 40 ms sooner. The kernel is the environment's
own Python (ipykernel), so notebooks import `activations` and `afbook` exactly as `make test` does.
As root (containers) the server needs --allow-root, which this script adds.

`Lab` is also the Python API of the real-client test (tests/jupyterlab) and of the browser
benchmark: `with Lab(isolated=True) as lab: lab.url("lab/tree/x.ipynb")`.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = REPO / "chapters"
# Settings of an isolated server (tests): never save a notebook (the chapters on disk must stay
# as committed; a live run only lives in the page), every notebook cell in the DOM (no
# windowing), and no "fetch news?" question.
ISOLATED_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                          "checkForUpdates": False},
}


def free_port(preferred: int | None = None) -> int:
    """``preferred`` if it is free on 127.0.0.1, else a port the system picks."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("no free port on 127.0.0.1")


class Lab:
    """A JupyterLab server process on 127.0.0.1 with a token (a context manager).

    ``root``: the folder it serves (default chapters/). ``isolated=True`` gives it its own
    temporary config, settings, workspaces and runtime folders (the reader's own JupyterLab
    settings are neither used nor changed) and exposes the app object to the page
    (``window.jupyterapp``) for tests.
    """

    def __init__(self, root: Path = CHAPTERS, port: int | None = None, *, isolated: bool = False,
                 quiet: bool = True):
        self.root = Path(root).resolve()
        self.port = port or free_port()
        self.token = secrets.token_hex(24)
        self.isolated, self.quiet = isolated, quiet
        self.proc: subprocess.Popen | None = None
        self._tmp: str | None = None
        self.log_path: Path | None = None

    # -- addresses and the REST API ------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "lab") -> str:
        """``base + path`` with the token, e.g. ``url("lab/tree/relu/03_x.ipynb")``."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET", body: dict | None = None, timeout: float = 10):
        """Call the server's REST API (``api("api/status")``); returns parsed JSON or None."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip() else None

    # -- process ---------------------------------------------------------------------------------
    def command(self) -> list[str]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}",
               "--ServerApp.port_retries=0", f"--ServerApp.root_dir={self.root}",
               f"--IdentityProvider.token={self.token}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False"]
        if self.isolated:
            cmd.append("--LabApp.expose_app_in_browser=True")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def _env(self) -> dict:
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        if self.isolated:
            self._tmp = tempfile.mkdtemp(prefix="afx-lab-")
            t = Path(self._tmp)
            settings = t / "settings"
            for rel, value in ISOLATED_SETTINGS.items():
                f = settings / rel
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(json.dumps(value), encoding="utf-8")
            env.update(JUPYTER_CONFIG_DIR=str(t / "config"), JUPYTER_RUNTIME_DIR=str(t / "runtime"),
                       JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(t / "workspaces"),
                       IPYTHONDIR=str(t / "ipython"))
        return env

    def start(self, timeout: float = 90) -> "Lab":
        env = self._env()
        if self.quiet:
            log_dir = Path(self._tmp or tempfile.mkdtemp(prefix="afx-lab-log-"))
            self.log_path = log_dir / "server.log"
            out = open(self.log_path, "w", encoding="utf-8")
        else:
            out = None
        self.proc = subprocess.Popen(self.command(), cwd=self.root, env=env, stdout=out,
                                     stderr=subprocess.STDOUT if out else None, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("api/status", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(f"jupyter lab did not answer on {self.base} in {timeout:.0f} s:\n{self.log()}")
                time.sleep(0.25)

    def log(self) -> str:
        if self.log_path and self.log_path.is_file():
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        return ""

    def shutdown_kernels(self) -> int:
        """Shut every session and kernel down through the API; returns how many kernels were running."""
        sessions = self.api("api/sessions") or []
        for s in sessions:
            self.api(f"api/sessions/{s['id']}", method="DELETE")
        kernels = self.api("api/kernels") or []
        for k in kernels:
            self.api(f"api/kernels/{k['id']}", method="DELETE")
        return len({s["kernel"]["id"] for s in sessions} | {k["id"] for k in kernels})

    def stop(self, timeout: float = 20) -> int | None:
        """Kernels first, then the server (``POST /api/shutdown``; SIGTERM, SIGKILL if it hangs).
        Returns the server's exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.shutdown_kernels()
                self.api("api/shutdown", method="POST")
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        code = self.proc.returncode
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        return code

    def __enter__(self) -> "Lab":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def check(lab: Lab) -> list[str]:
    """What `--check` verifies on a running server; returns the problems (empty: all is well)."""
    problems = []
    status = lab.api("api/status")
    if "started" not in (status or {}):
        problems.append(f"/api/status: unexpected answer {status!r}")
    listing = {c["name"] for c in (lab.api("api/contents/") or {}).get("content", [])}
    chapters = {p.name for p in CHAPTERS.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))}
    if not chapters <= listing:
        problems.append(f"the file browser lacks chapters {sorted(chapters - listing)}")
    specs = lab.api("api/kernelspecs") or {}
    if specs.get("default") != "python3":
        problems.append(f"default kernel is {specs.get('default')!r}, not python3")
    return problems


def serve(lab_args: list[str]) -> int:
    """Run JupyterLab in this process with ``lab_args``, its kernel websockets without Nagle's
    algorithm (TCP_NODELAY).

    jupyter_server leaves Nagle's algorithm on for the kernel websocket; then a small message
    that follows another one (a widget's new state after the kernel's "busy" status) waits for the
    browser's delayed ACK, about 40 ms on Linux, on every slider move. Measured in JupyterLab
    4.6 on 127.0.0.1 (benchmarks/bench_interactive.py): key press to new image of a cached
    explorer frame 54 ms -> 19 ms, of a redrawn ELU frame 59 ms -> 39 ms.
    """
    from jupyterlab.labapp import LabApp

    without_nagle()
    LabApp.launch_instance(argv=lab_args)
    return 0


def without_nagle():
    """Make jupyter_server's kernel websocket handler set TCP_NODELAY when a websocket opens
    (once per process); returns the handler class."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    opened = KernelWebsocketHandler.open
    if getattr(opened, "afx_nodelay", False):
        return KernelWebsocketHandler

    async def open_without_nagle(self, *args, **kwargs):
        self.set_nodelay(True)
        return await opened(self, *args, **kwargs)

    open_without_nagle.afx_nodelay = True
    KernelWebsocketHandler.open = open_without_nagle
    return KernelWebsocketHandler


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--serve"]:          # the server process started by Lab.start()
        return serve(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8888, help="preferred port (the next free one otherwise)")
    ap.add_argument("--check", action="store_true", help="start, check, stop (no reader's browser)")
    args = ap.parse_args(argv)
    if args.check:
        t0 = time.monotonic()
        lab = Lab(isolated=True).start()
        try:
            problems = check(lab)
        finally:
            code = lab.stop()
        if code not in (0, None):
            problems.append(f"the server exited with code {code}")
        for p in problems:
            print(f"lab --check: {p}", file=sys.stderr)
        if not problems:
            print(f"lab --check: JupyterLab served {CHAPTERS.relative_to(REPO)}/ on 127.0.0.1, answered "
                  f"/api/status and stopped cleanly ({time.monotonic() - t0:.1f} s)")
        return 1 if problems else 0
    def interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)   # Ctrl-C, even if a parent ignored it
    signal.signal(signal.SIGTERM, interrupt)                   # kill: stop kernels and server too
    lab = Lab(port=free_port(args.port), quiet=False)
    lab.start()
    print(f"\nJupyterLab serves {lab.root} (Ctrl-C stops it). Open:\n\n    {lab.url('lab')}\n", flush=True)
    try:
        lab.proc.wait()
    except KeyboardInterrupt:
        print("\nstopping JupyterLab ...", flush=True)
    finally:
        lab.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
