"""Helpers for fault, cluster and soak tests: extra local nodes and the app as a real server process.

These tests start their own Elasticsearch nodes (other ports, other folders) so that they can kill,
freeze and restart them without disturbing the node the rest of the suite uses.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from arsip.es_node import LocalNode, NodeSpec
from arsip.settings import REPO_ROOT, Settings

FAULT_HTTP_PORT = 9290


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 30.0) -> tuple[int, dict | str, float]:
    """(status, JSON body or text, seconds) for a GET; HTTP errors are answers, not exceptions."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        status, raw, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    elapsed = time.perf_counter() - started
    text = raw.decode("utf-8", errors="replace")
    return status, (json.loads(text) if "json" in ctype else text), elapsed


class AppServer:
    """`arsip serve` as a subprocess (waitress, the real production server) on a free port."""

    def __init__(self, env: dict[str, str], log_path: Path, threads: int = 8) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "arsip_cli", "serve", "--port", str(self.port), "--threads", str(threads)],
            env={**os.environ, "ARSIP_RATE_LIMIT": "0", **env},  # one client at concurrency 16: no limiter
            cwd=REPO_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError):
                if http_get(self.url + "/healthz", timeout=2)[0] == 200:
                    return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the app did not come up:\n{self.log()}")

    def get(self, path: str, timeout: float = 60.0):
        return http_get(self.url + path, timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture
def app_server(tmp_path):
    """Factory: ``app_server(env)`` starts the app with extra env vars; all are stopped at the end."""
    servers: list[AppServer] = []

    def start(env: dict[str, str], threads: int = 8) -> AppServer:
        server = AppServer(env, tmp_path / f"app-{len(servers)}.log", threads=threads)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def fault_node(base_settings: Settings):
    """A node of our own, on its own port and folder, that tests may kill, freeze and restart."""
    settings = replace(base_settings, es_heap="512m")
    node = LocalNode(
        settings,
        NodeSpec(
            name="arsip-fault",
            http_port=FAULT_HTTP_PORT,
            transport_port=FAULT_HTTP_PORT + 100,
            cluster_name="arsip-fault",
        ),
    )
    node.stop()
    shutil.rmtree(node.node_dir / "data", ignore_errors=True)  # start from an empty node every run
    yield node
    node.stop()
