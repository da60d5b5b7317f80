"""What a room costs the server beside its clicks: each person's joining, their open tab
between clicks, every move of the room to a new phase, and a projector.

Starts the app on a fresh workshop and brings the people in, twenty joining at a time, as
the load test's tabs do (`bench/load.py`: each tab then follows the room's status stream
and asks for its view when the room moves, as the participant's app does). Then it reads the server's CPU time (user +
system, from /proc) over one part at a time, with nothing else going on:

- **open and join**, per person: the join link's first page run (a new session), the
  run that joins and draws the app, and the app's first `GET api/view`;
- **an open tab**, per person and minute: its websocket and status stream while the room
  is quiet;
- **a projector**, per minute: the Present page's stream while nothing changes (each
  change of the data adds one new view for all projectors, `bench/present.py`);
- **a move**, per person: the facilitator's click on the next phase and every tab asking
  for its view, less what the open tabs cost meanwhile.

    python -m bench.room_costs [--participants 300]

Prints one JSON object last: {part: ms of server CPU}.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.load import Facilitator, Figures, Person, Projector, cpu_seconds, prepare
from bench.rerun_cost import report
from deploy.server import AppServer
from deploy.wire import ONE_ADDRESS_ROOM, join_request, run_sync

JOINING_AT_ONCE = 20


async def measure(url: str, pid: int, plan, participants: int, quiet_seconds: float) -> dict[str, float]:
    figures = Figures()
    stop, screens_stop = asyncio.Event(), asyncio.Event()
    facilitator = Facilitator(url, plan, figures)
    await facilitator.tab.open()
    people = [Person(i, url, plan, figures, think=1.0, seed=1) for i in range(participants)]
    costs: dict[str, float] = {}
    turns = asyncio.Semaphore(JOINING_AT_ONCE)

    async def join(person: Person) -> None:
        async with turns:
            await person.tab.open()
            await join_request(person.tab, f"Person {person.number}", "Sales")
            person.token = person.tab.joined
            await person.look()  # the app, mounted, asks what to show

    def spent(since: float) -> float:
        return (cpu_seconds(pid) - since) * 1000

    following: list[asyncio.Task] = []
    projecting: list[asyncio.Task] = []
    try:
        before = cpu_seconds(pid)
        await asyncio.gather(*(join(p) for p in people))
        costs["open and join, per person"] = spent(before) / participants

        following = [asyncio.create_task(p.follow(stop)) for p in people]
        await asyncio.sleep(3)  # every stream open and its first status written
        before, began = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(quiet_seconds)
        quiet_rate = spent(before) / (time.monotonic() - began)  # ms per second, all tabs
        costs["an open tab, per person and minute"] = quiet_rate * 60 / participants

        screens = [Projector(url, plan, figures) for _ in range(2)]
        projecting = [asyncio.create_task(s.run(screens_stop)) for s in screens]
        await asyncio.sleep(3)
        before, began = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(quiet_seconds)
        costs["a projector, per minute"] = (spent(before) / (time.monotonic() - began) - quiet_rate) * 60 / 2
        for task in projecting:
            task.cancel()  # a projector listens to its stream until taken down
        await asyncio.gather(*projecting, return_exceptions=True)

        before, began = cpu_seconds(pid), time.monotonic()
        await facilitator.tab.click("phase_next")
        deadline = began + 30
        while any(p.phase() != "Share" for p in people) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # the last views' answers written
        moved = sum(p.phase() == "Share" for p in people)
        costs["a move, per person"] = (spent(before) - quiet_rate * (time.monotonic() - began)) / participants
        if moved != participants:
            raise RuntimeError(f"only {moved} of {participants} screens showed the new phase")
        if figures.errors:
            raise RuntimeError(f"errors: {figures.errors[:3]}")
    finally:
        stop.set()
        screens_stop.set()
        for task in following + projecting:
            task.cancel()  # a tab listens to its stream until taken down, as in load.Person.run
        await asyncio.gather(*following, *projecting, return_exceptions=True)
        await asyncio.gather(*(p.tab.close() for p in people), return_exceptions=True)
        await facilitator.tab.close()
    return {name: round(ms, 2) for name, ms in costs.items()}


def run(participants: int = 300, quiet_seconds: float = 40.0) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "room.duckdb"
        plan = prepare(db)
        server = AppServer(db, log=Path(tmp) / "server.log", env=ONE_ADDRESS_ROOM)
        server.start()
        try:
            return run_sync(measure(server.url, server.pid, plan, participants, quiet_seconds))
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--quiet-seconds", type=float, default=40.0)
    args = parser.parse_args()
    report(run(args.participants, args.quiet_seconds))


if __name__ == "__main__":
    main()
