"""Run Cocreate for a large audience on one machine: N app processes behind nginx, one PostgreSQL.

    COCREATE_DATABASE_URL=postgresql://user:password@host/db python -m deploy.stack --replicas 2 --port 8080

Brings the schema up to date and seeds the demo once (`python -m workshop init`), starts
`--replicas` Streamlit processes on free local ports, writes an nginx configuration from
`deploy/nginx.conf.template` (sticky sessions, websocket upgrade) and runs nginx in front
of them on `--port`. Ctrl-C stops everything. A replica that dies is restarted.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy.server import ROOT, free_port, start_process, wait_healthy

COMPOSE_NGINX = ROOT / "deploy" / "compose" / "nginx.conf"
TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def nginx_config(run: Path, port: int, upstream_ports: list[int]) -> str:
    """The template for this machine: nginx's files in `run`, listening on `port`, the app
    processes on `upstream_ports`."""
    paths = "\n".join(
        f"    {kind}_temp_path {run}/{folder};"
        for kind, folder in (
            ("client_body", "body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        )
    )
    return _filled(
        PROCESS=f"pid {run}/nginx.pid;\nerror_log {run}/error.log warn;",
        PATHS=paths,
        SERVERS="\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports),
        LISTEN=f"127.0.0.1:{port}",
    )


def compose_nginx_config() -> str:
    """The template for compose.yaml's "large" profile (deploy/compose/nginx.conf): the
    replicas by Docker's name for them, looked up again as they come and go."""
    return _filled(
        PROCESS="",
        PATHS="    # Docker's DNS: the replicas of `app` are looked up again every 10 s.\n"
        "    resolver 127.0.0.11 valid=10s ipv6=off;",
        SERVERS="        server app:8501 max_fails=0 resolve;",
        LISTEN="80",
    )


def _filled(**parts: str) -> str:
    text = TEMPLATE.read_text()
    for name, part in parts.items():
        text = text.replace(f"@{name}@", part)
    return re.sub(r"\n\n+(?=\n)", "\n", text)


class Stack:
    """N `streamlit run serve.py` processes sharing `database_url`, and nginx in front on `port`."""

    def __init__(
        self,
        database_url: str,
        replicas: int,
        port: int | None = None,
        log_dir: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        if replicas < 1:
            raise ValueError("at least one replica")
        self.database_url = database_url
        self.port = port or free_port()
        self.ports = [free_port() for _ in range(replicas)]
        # nginx on this machine appends the client's address to X-Forwarded-For: believe it
        # from there only (wrong keys are counted per client).
        self.env = {
            "COCREATE_TRUSTED_PROXIES": "local",
            **os.environ,
            **(env or {}),
            "COCREATE_DATABASE_URL": database_url,
        }
        self._tmp = tempfile.TemporaryDirectory(prefix="cocreate-stack-")
        self.run_dir = Path(self._tmp.name)
        self.log_dir = log_dir or self.run_dir
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.apps]

    def _start_app(self, port: int) -> subprocess.Popen:
        log = open(self.log_dir / f"replica-{port}.log", "ab")  # noqa: SIM115 (kept open for the child)
        return start_process(port, self.env, log)

    def start(self, timeout: float = 90) -> None:
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> None:
        self.apps = [self._start_app(p) for p in self.ports]
        for port, process in zip(self.ports, self.apps, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", timeout, process)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_config(self.run_dir, self.port, self.ports))
        self.nginx = subprocess.Popen(
            ["nginx", "-p", str(self.run_dir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_dir / "nginx.log", "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_healthy(self.url, 30, self.nginx)

    def keep_alive(self) -> None:
        """Restart any replica that exited (nginx sends its people to the others meanwhile)."""
        for i, process in enumerate(self.apps):
            if process.poll() is not None:
                print(
                    f"replica on port {self.ports[i]} exited ({process.returncode}); restarting", flush=True
                )
                self.apps[i] = self._start_app(self.ports[i])

    def stop(self) -> None:
        for process in [*self.apps, *([self.nginx] if self.nginx else [])]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.apps, *([self.nginx] if self.nginx else [])]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.apps, self.nginx = [], None
        self._tmp.cleanup()


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--replicas", type=int, default=os.cpu_count() or 2, help="app processes (default: one per core)"
    )
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--url", default=None, help="public address for the printed links")
    parser.add_argument(
        "--compose-nginx",
        action="store_true",
        help="write deploy/compose/nginx.conf from deploy/nginx.conf.template, and stop",
    )
    args = parser.parse_args()
    if args.compose_nginx:
        COMPOSE_NGINX.write_text(compose_nginx_config())
        return 0
    database_url = os.environ.get("COCREATE_DATABASE_URL", "").strip()
    if not database_url.startswith(("postgresql://", "postgres://")):
        print(
            "Set COCREATE_DATABASE_URL=postgresql://user:password@host/database: replicas share PostgreSQL "
            "(a DuckDB file can be opened by one process only).",
            file=sys.stderr,
        )
        return 2
    url = args.url or f"http://localhost:{args.port}"
    init = subprocess.run(
        [sys.executable, "-m", "workshop", "init", "--demo", "--show-keys", "--url", url], cwd=ROOT
    )
    if init.returncode != 0:
        return init.returncode
    stack = Stack(database_url, args.replicas, args.port, log_dir=ROOT / "data")
    # A service manager (or `kill`) stops the stack with SIGTERM to this process alone: it ends
    # the replicas and nginx as Ctrl-C does (the terminal signals the whole group).
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        stack.start()
        print(
            f"Cocreate: {args.replicas} replicas behind nginx on {url} (logs in data/replica-*.log). "
            "Ctrl-C stops.",
            flush=True,
        )
        while True:
            time.sleep(2)
            stack.keep_alive()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
