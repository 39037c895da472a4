"""A real ``ktj-route serve`` for the service tests: a subprocess on a free loopback port.

Each server has its own state folder and users file (two coordinators, ``rina`` and
``budi``, added with ``ktj-route serve --add-user``), and its log in a file the tests
can read (to check that no personal data reaches it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
DAY = ROOT / "scenarios" / "jakarta-selatan"
DAY_FILES = [DAY / "scenario.yaml", DAY / "households.csv", DAY / "vehicles.csv"]
BAD_INPUTS = Path(__file__).parent / "bad_inputs"
TINY = Path(__file__).parent / "data" / "tiny"
API = "/api/v1"


def ktj_route(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The ``ktj-route`` command, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "ktj_logistics", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_users(folder: Path) -> tuple[Path, dict[str, str]]:
    """A users file with two coordinators; their tokens."""
    users = folder / "users.txt"
    tokens = {}
    for name in ("rina", "budi"):
        done = ktj_route("serve", "--users", str(users), "--add-user", name)
        assert done.returncode == 0, done.stderr
        tokens[name] = done.stdout.strip()
    return users, tokens


@dataclass
class Server:
    url: str
    state: Path
    log: Path
    tokens: dict[str, str]
    args: list[str]
    proc: subprocess.Popen[bytes] | None = None
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, user: str | None = "rina", **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        c = httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)
        self.clients.append(c)
        return c

    def start(self) -> None:
        port = self.url.rsplit(":", 1)[1]
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ktj_logistics", "serve", "--port", port, *self.args],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped:\n" + self.log.read_text())
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer:\n" + self.log.read_text())

    def children(self) -> list[int]:
        """Process ids whose parent is the server (its planning workers)."""
        assert self.proc is not None
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to tidy up."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        for c in self.clients:
            c.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


@contextmanager
def running_server(folder: Path, *extra: str) -> Iterator[Server]:
    """A started server on ``folder`` (state, users, log), stopped afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    users, tokens = make_users(folder)
    # The bundled day plans on its road network, installed on the server by the operator.
    networks = ["--networks", str(DAY / "data")]
    args = ["--state-dir", str(folder / "state"), "--users", str(users), *networks, *extra]
    server = Server(
        f"http://127.0.0.1:{free_port()}", folder / "state", folder / "log", tokens, args
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def upload(client: httpx.Client, files: list[Path], **params: Any) -> httpx.Response:
    parts = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in files]
    return client.post(f"{API}/jobs/upload", files=parts, params=params)


def wait_for(client: httpx.Client, job_id: str, until: set[str], timeout: float = 180) -> Any:
    """Poll a job until its status is one of ``until``; its last status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"{API}/jobs/{job_id}").json()
        if job["status"] in until:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")
