"""A PostgreSQL server of its own, made from the system's PostgreSQL binaries in a temporary
folder on a free port, started and stopped at will, removed afterwards: for tests that must
stop the database under a running Cocreate, and for a machine where no PostgreSQL server
runs. Run as root, it runs the server as the `postgres` user (PostgreSQL refuses root)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.server import free_port


def binaries() -> Path | None:
    """The folder of the newest installed PostgreSQL's initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Throwaway:
    """One PostgreSQL server in `folder`, listening on 127.0.0.1:`port`, trusting local logins."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def wait_stopped(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)


@contextmanager
def throwaway_postgres() -> Iterator[Throwaway]:
    """A started throwaway server; stopped and removed afterwards. RuntimeError when no
    PostgreSQL binaries are installed."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) are installed")
    folder = Path(tempfile.mkdtemp(prefix="cocreate-pg-"))
    server = Throwaway(bin_dir, folder)
    try:
        server.create()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
