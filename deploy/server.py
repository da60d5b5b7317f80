"""Start Cocreate as it is served everywhere (`streamlit run serve.py`) on a free local port,
wait until it answers, stop it: the one starter of deploy.stack's replicas, the benchmarks
and the browser tests."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Return once `url` answers Streamlit's health check; RuntimeError when `process` exits
    first or nothing answers within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode} while starting")
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on {url} within {timeout:.0f} s")


def start_process(
    port: int,
    env: dict[str, str],
    out: IO | int,
    script: Path = ROOT / "serve.py",
    address: str = "127.0.0.1",
) -> subprocess.Popen:
    """`streamlit run serve.py` on `address`:`port` (`::` listens on every address, IPv4
    included, as `make run` does) in a process group of its own."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


class AppServer:
    """One Cocreate process on a port, with the database and settings in `env`; its output
    goes to `log` when given."""

    def __init__(
        self,
        db: Path | None,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        script: Path = ROOT / "serve.py",
        address: str = "127.0.0.1",
    ) -> None:
        self.db = db
        self.script = script
        self.address = address
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        if db is not None:
            self.env["COCREATE_DB"] = str(db)
            self.env.pop("COCREATE_DATABASE_URL", None)
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 (kept open for the child)
        self.process = start_process(self.port, self.env, out, self.script, self.address)
        wait_healthy(self.url, timeout, self.process)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush, as when the machine loses power or the OOM killer strikes."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; SIGKILL if it has not ended within 15 s."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def pg_schema(database_url: str, prefix: str = "cocreate") -> Iterator[str]:
    """The URL of a fresh, empty schema in the PostgreSQL database at `database_url`, for a
    server (or a test's store) of its own; dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
        try:
            yield f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{name}"
        finally:
            admin.execute(f"DROP SCHEMA {name} CASCADE")
