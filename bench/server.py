"""Start and stop the real app (`streamlit run serve.py`) for benchmarks and their tests."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.stack import ROOT, free_port, wait_healthy

__all__ = ["ROOT", "AppServer", "free_port", "pg_schema"]


class AppServer:
    """One `streamlit run` process on a port, with the database and settings in `env`."""

    def __init__(self, db: Path | None, port: int | None = None, env: dict[str, str] | None = None,
                 log: Path | None = None, script: Path = ROOT / "serve.py") -> None:  # fmt: skip
        self.db = db
        self.script = script
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
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
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
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


@contextmanager
def pg_schema(database_url: str, prefix: str = "bench") -> Iterator[str]:
    """The URL of a fresh, empty schema in the PostgreSQL database at `database_url`; dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
        try:
            yield f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{name}"
        finally:
            admin.execute(f"DROP SCHEMA {name} CASCADE")
