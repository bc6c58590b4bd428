"""A real Oxigraph SPARQL server (the PyPI package ``oxigraph``) on a free local port, for the tests."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests


def oxigraph_command() -> str:
    """The ``oxigraph`` command of this environment (the [test] extra installs it)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` command (the PyPI package oxigraph, in the [test] extra) is not installed: "
                    "pip install -e '.[test]'")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def load(location: Path, data: Path) -> None:
    """Load an RDF file into the store folder ``location`` before a server opens it."""
    done = subprocess.run([oxigraph_command(), "load", "--location", str(location), "--file", str(data)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def running(location: Path, *, read_only: bool = False) -> Iterator[str]:
    """``oxigraph serve`` (or ``serve-read-only``) on ``location``; yields its base URL, stops it afterwards."""
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    server = subprocess.Popen([oxigraph_command(), command, "--location", str(location), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # poll until it answers, within the deadline
            try:
                if requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"oxigraph {command} did not start: {server.communicate()[1].decode(errors='replace')}")
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()
