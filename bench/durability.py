"""Nothing the screen confirmed is lost when the server dies: SIGKILL under concurrent writers.

Starts the real app (`streamlit run serve.py`) on a fresh DuckDB file holding two workshops,
one in the Share phase and one in the Vote phase. Simulated participants talk to it over
Streamlit's websocket protocol, as browser tabs do (`bench/wire.py`): they join, share
statements and place dots as fast as the server lets them. At random moments the whole
server process group gets SIGKILL; it is started again on the same file and every writer
comes back through its own link, as a reload would. At the end the database is opened
and compared with the writers' ledger:

- acknowledged: writes whose confirmation the server rendered (a participant link issued,
  the statement shown back under "You wrote", the vote board's answer to "Add a dot");
- found: acknowledged writes present in the database;
- lost: acknowledged but missing; duplicated: stored more often than it was attempted
  (a statement twice, a participant twice, more dots than clicks).

A write that was in flight at the kill has no confirmation; it may or may not be stored,
and either is correct, but it must never be stored twice.

    python -m bench.durability [--kills 5] [--writers 16] [--seed 1]

Prints one JSON object last: {"kills": K, "acknowledged": N, "found": N, "lost": 0, "duplicated": 0}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import BROKEN
from deploy.server import AppServer
from deploy.wire import PageError, Tab, board_dot, run_sync, share_request
from workshop import actions, demo, security
from workshop.model import Phase
from workshop.store import Store


@dataclass
class Room:
    share_code: str
    theme_id: int
    vote_code: str
    vote_needs: list[int]
    dot_budget: int
    per_need_cap: int


@dataclass
class Ledger:
    joined: dict[str, str] = field(default_factory=dict)  # token -> name, confirmed
    names_tried: list[str] = field(default_factory=list)
    said: set[str] = field(default_factory=set)  # statements shown back
    tried: Counter = field(default_factory=Counter)  # statement text -> submissions
    dots_shown: dict[str, int] = field(default_factory=dict)  # token -> dots the screen confirmed
    dots_clicked: Counter = field(default_factory=Counter)  # token -> clicks on "Add a dot"
    interrupted: int = 0
    confirmed_at: list[float] = field(default_factory=list)  # monotonic time of each confirmation
    restarted_at: list[float] = field(default_factory=list)

    def confirm(self) -> None:
        self.confirmed_at.append(time.monotonic())


def prepare(db: Path) -> Room:
    store = Store(db)
    share = demo.create_demo(store, participants=0, until=Phase.SHARE).created.workshop
    vote = demo.create_demo(store, participants=8, seed=3, until=Phase.VOTE).created.workshop
    needs = [n.id for n in store.needs(vote.id)]
    store.close()
    return Room(share.code, share.themes[0].id, vote.code, needs, vote.dot_budget, vote.per_need_cap)


class Writer:
    """One person at a laptop: joins, shares, now and then joins the vote and spends all dots."""

    def __init__(
        self, number: int, url: str, room: Room, ledger: Ledger, up: asyncio.Event, seed: int
    ) -> None:
        self.number, self.url, self.room, self.ledger, self.up = number, url, room, ledger, up
        self.rng = random.Random(seed * 1000 + number)
        self.tab: Tab | None = None
        self.token: str | None = None
        self.said = 0
        self.voters = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.up.wait()
            try:
                if self.rng.random() < 0.2:
                    await self.vote()
                else:
                    await self.share()
            except BROKEN:
                self.ledger.interrupted += 1
                await self._drop()
                await asyncio.sleep(0.05)
        await self._drop()

    async def _drop(self) -> None:
        if self.tab is not None:
            with contextlib.suppress(BROKEN):
                await self.tab.close()
        self.tab = None

    async def _join(self, code: str, name: str) -> tuple[Tab, str]:
        tab = Tab(self.url, "participate", f"code={code}", timeout=20)
        await tab.open()
        self.ledger.names_tried.append(name)
        await tab.click("join_submit", join_name=name, join_team=f"Team {self.number % 4}")
        if not tab.query.startswith("t="):
            raise PageError(f"joining {code} as {name} did not issue a link: {tab.screen.text()[:200]}")
        token = tab.query[2:]
        self.ledger.joined[token] = name
        self.ledger.confirm()
        return tab, token

    async def share(self) -> None:
        if self.tab is None:
            if self.token is None:
                self.tab, self.token = await self._join(self.room.share_code, f"Writer {self.number}")
            else:
                self.tab = Tab(self.url, "participate", f"t={self.token}", timeout=20)
                await self.tab.open()
        self.said += 1
        text = f"Durability check: writer {self.number}, statement {self.said}"
        theme = self.room.theme_id
        self.ledger.tried[text] += 1
        code, answer = await share_request(self.tab, theme, text)
        if code == 200 and any(s["text"] == text for s in answer["mine"]):
            self.ledger.said.add(text)
            self.ledger.confirm()
        elif code == 429:  # as much as one person may write: the writer comes back as another
            self.token = None
            await self._drop()

    async def vote(self) -> None:
        """A fresh participant of the Vote workshop places every dot, one click at a time."""
        self.voters += 1
        tab, token = await self._join(self.room.vote_code, f"Voter {self.number}.{self.voters}")
        try:
            needs = self.room.vote_needs
            for i in range(self.room.dot_budget):
                need = needs[(self.number + i) % len(needs)]
                self.ledger.dots_clicked[token] += 1
                code, answer = await board_dot(tab, need, 1)  # the board's "Add a dot"
                if code == 200:
                    self.ledger.dots_shown[token] = answer["used"]
                    self.ledger.confirm()
        finally:
            await tab.close()


async def drive(
    url_server: AppServer, room: Room, writers: int, kills: int, seed: int, gap: tuple[float, float]
) -> Ledger:
    rng = random.Random(seed)
    ledger = Ledger()
    up = asyncio.Event()
    up.set()
    stop = asyncio.Event()
    people = [Writer(i, url_server.url, room, ledger, up, seed) for i in range(writers)]
    tasks = [asyncio.create_task(p.run(stop)) for p in people]
    for _ in range(kills):
        await asyncio.sleep(rng.uniform(*gap))
        up.clear()
        await asyncio.to_thread(url_server.kill)
        await asyncio.to_thread(url_server.start)
        ledger.restarted_at.append(time.monotonic())
        up.set()
    await asyncio.sleep(rng.uniform(*gap))
    stop.set()
    await asyncio.gather(*tasks)
    return ledger


def check(db: Path, room: Room, ledger: Ledger) -> dict[str, int]:
    store = Store(db)
    try:
        found = lost = duplicated = 0
        for token in ledger.joined:
            if store.participant_by_token(security.hash_token(token)) is not None:
                found += 1
            else:
                lost += 1
        names = Counter(name for (name,) in store._rows("SELECT name FROM participants"))
        duplicated += sum(
            1 for name in set(ledger.names_tried) if names[name] > ledger.names_tried.count(name)
        )
        share = actions.find_workshop(store, room.share_code)
        stored = Counter(
            text for (text,) in store._rows("SELECT text FROM statements WHERE workshop_id = ?", [share.id])
        )
        for text in ledger.said:
            found += stored[text] >= 1
            lost += stored[text] == 0
        duplicated += sum(1 for text, n in ledger.tried.items() if stored[text] > n)
        vote = actions.find_workshop(store, room.vote_code)
        dots = Counter(
            token_hash
            for (token_hash,) in store._rows(
                "SELECT p.token_hash FROM dots d JOIN participants p ON p.id = d.participant_id "
                "WHERE d.workshop_id = ?",
                [vote.id],
            )
        )
        acknowledged_dots = 0
        for token, clicks in ledger.dots_clicked.items():
            held = dots[security.hash_token(token)]
            shown = ledger.dots_shown.get(token, 0)
            acknowledged_dots += shown
            found += min(held, shown)
            lost += max(0, shown - held)
            duplicated += max(0, held - clicks)
        acknowledged = len(ledger.joined) + len(ledger.said) + acknowledged_dots
        return {"acknowledged": acknowledged, "found": found, "lost": lost, "duplicated": duplicated}
    finally:
        store.close()


def run(
    kills: int = 5,
    writers: int = 16,
    seed: int = 1,
    gap: tuple[float, float] = (3.0, 6.0),
    workdir: Path | None = None,
) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = workdir or Path(tmp)
        db = folder / "durability.duckdb"
        room = prepare(db)
        server = AppServer(db, log=folder / "server.log")
        server.start()
        try:
            ledger = run_sync(drive(server, room, writers, kills, seed, gap))
        finally:
            server.stop()
        result = {"kills": kills, **check(db, room, ledger)}
        result["interrupted"] = ledger.interrupted
        firsts = [min((t for t in ledger.confirmed_at if t > r), default=r) - r for r in ledger.restarted_at]
        result["first_write_after_restart_s"] = round(max(firsts, default=0), 2)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = run(args.kills, args.writers, args.seed)
    print(
        f"{result.pop('interrupted')} writes were in flight at a kill (unconfirmed; either outcome is correct)"
    )
    print(f"slowest first confirmed write after a restart: {result.pop('first_write_after_restart_s')} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
