"""How many connections whose headers never end one Cocreate process holds while it keeps
answering, run as `make run` runs it (no proxy in front).

The server Streamlit starts has no setting that closes a connection whose request headers
never end, so each such connection holds one open file for as long as its client keeps it.
This opens so many of them (`--held`, in steps), each sending half a request line's
headers, and after each step asks the health check and the home page on a new connection;
then it waits `--wait` seconds and counts how many the server has closed meanwhile. The
process raises its own limit of open files to the system's hard limit at start
(web/limits.py): past that limit it would refuse new connections. SECURITY.md gives the
figures.

    python -m bench.held_connections --held 1000 3000 6000 --wait 75

Prints one JSON object last: {"open_files_limit", "steps": [{held, health, page, seconds}],
"still_open_after_wait"}.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import tempfile
import time
import urllib.request
from pathlib import Path

from deploy.server import AppServer

HALF_A_REQUEST = b"GET / HTTP/1.1\r\nHost: cocreate\r\nX-Never-Ends: "


def status(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=20) as reply:
            return reply.status
    except OSError as exc:
        return type(exc).__name__


def run(steps: list[int], wait: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = AppServer(Path(tmp) / "held.duckdb", log=Path(tmp) / "server.log")
        server.start()
        host, port = "127.0.0.1", int(server.url.rsplit(":", 1)[1])
        held: list[socket.socket] = []
        found: dict = {"open_files_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[1], "steps": []}
        try:
            for target in steps:
                while len(held) < target:
                    try:
                        one = socket.create_connection((host, port), timeout=5)
                    except OSError:
                        break  # this client's own limit of open files: the figure says how many
                    one.sendall(HALF_A_REQUEST)
                    held.append(one)
                started = time.monotonic()
                health = status(f"{server.url}/_stcore/health")
                page = status(f"{server.url}/")
                step = {"held": len(held), "health": health, "page": page}
                found["steps"].append({**step, "seconds": round(time.monotonic() - started, 2)})
                print(step, flush=True)
            time.sleep(wait)  # what the server does with them meanwhile: nothing announces it
            found["still_open_after_wait"] = sum(_open(one) for one in held)
        finally:
            for one in held:
                one.close()
            server.stop()
    return found


def _open(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--held", type=int, nargs="+", default=[1000, 3000, 6000])
    parser.add_argument("--wait", type=float, default=75.0)
    args = parser.parse_args()
    print(json.dumps(run(args.held, args.wait)))


if __name__ == "__main__":
    main()
