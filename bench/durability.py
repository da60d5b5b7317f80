"""Nothing the screen confirmed is lost when the server dies: SIGKILL under concurrent writers.

Starts the real app (`streamlit run serve.py`) on a fresh DuckDB file holding three demo
workshops: one in the Share phase, one in Propose, one in Vote. Simulated participants
talk to it over Streamlit's websocket protocol and the boards' requests, as browser tabs
do (`deploy/wire.py`), and a facilitator works Facilitate's moderation. Between them they
make every kind of write:

- participants: join, share, edit and withdraw a statement, react to others' statements,
  propose a need, back ("Me too") others' needs, place dots, rate a need;
- the facilitator: hide a need and show it again, merge a need into another and unmerge it.

At random moments the whole server process group gets SIGKILL; it is started again on the
same file and everyone comes back through their own link, as a reload would. At the end
the database is opened and compared with the ledger of what the screens confirmed:

- acknowledged: writes whose confirmation the server rendered or answered (a participant
  link issued, a statement shown back under "You wrote", the board's answer to a click,
  Facilitate redrawn with the need hidden or merged);
- found: acknowledged writes present in the database. Every write records itself in the
  events log in its own transaction, so each confirmed write must have its event (and a
  join its participant, a dot its slot);
- lost: acknowledged but missing; duplicated: stored more often than it was attempted.

A write that was in flight at the kill has no confirmation; it may or may not be stored,
and either is correct, but it must never be stored twice.

    python -m bench.durability [--kills 5] [--writers 16] [--seed 1]

Prints one JSON object last: {"kills": K, "acknowledged": N, "found": N, "lost": 0,
"duplicated": 0, "kinds": [every kind of write confirmed]}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import BROKEN
from deploy.server import AppServer
from deploy.wire import (
    APP,
    ONE_ADDRESS_ROOM,
    PageError,
    Tab,
    back_request,
    board_dot,
    card_request,
    join_request,
    propose_request,
    run_sync,
    share_request,
)
from web import paths
from workshop import actions, demo, security
from workshop.model import Phase
from workshop.store import Store

FACILITATOR = "facilitator"  # who, in the ledger, for the facilitator's writes
REACTIONS = ("agree", "disagree", "pass")


@dataclass
class Room:
    share_code: str
    theme_id: int
    vote_code: str
    vote_needs: list[int]
    dot_budget: int
    per_need_cap: int
    propose_code: str = ""
    propose_theme: int = 0
    session: str = ""  # the Propose workshop's facilitator session
    back_needs: list[int] = field(default_factory=list)  # others' needs to back
    hide_need: int = 0
    merge_source: int = 0
    merge_target: int = 0
    labels: dict[int, str] = field(default_factory=dict)  # need id -> its label in the merge form


# A write in the ledger: (workshop code, the writer's token or FACILITATOR, action, subject id).
Key = tuple[str, str, str, int]


@dataclass
class Ledger:
    joined: dict[str, str] = field(default_factory=dict)  # token -> name, confirmed
    names_tried: list[str] = field(default_factory=list)
    tried: Counter = field(default_factory=Counter)  # statement or need text -> submissions
    acked: Counter = field(default_factory=Counter)  # Key -> confirmations
    attempted: Counter = field(default_factory=Counter)  # Key -> attempts (when known beforehand)
    dots_shown: dict[str, int] = field(default_factory=dict)  # token -> dots the screen confirmed
    dots_clicked: Counter = field(default_factory=Counter)  # token -> clicks on "Add a dot"
    interrupted: int = 0
    confirmed_at: list[float] = field(default_factory=list)  # monotonic time of each confirmation
    restarted_at: list[float] = field(default_factory=list)

    def confirm(self) -> None:
        self.confirmed_at.append(time.monotonic())

    def ack(self, key: Key) -> None:
        self.acked[key] += 1
        self.confirm()


def prepare(db: Path) -> Room:
    store = Store(db)
    share = demo.create_demo(store, participants=6, seed=1, until=Phase.SHARE).created.workshop
    propose = demo.create_demo(store, participants=8, seed=5, until=Phase.PROPOSE).created
    vote = demo.create_demo(store, participants=8, seed=3, until=Phase.VOTE).created.workshop
    listed = [n for n in store.needs(propose.workshop.id) if not n.merged_from]
    needs = [n.id for n in store.needs(vote.id)]
    store.close()
    hide, source, target, *others = [n.id for n in listed]
    return Room(
        share.code,
        share.themes[0].id,
        vote.code,
        needs,
        vote.dot_budget,
        vote.per_need_cap,
        propose.workshop.code,
        propose.workshop.themes[0].id,
        propose.session_token,
        others,
        hide,
        source,
        target,
        {n.id: f"#{n.id} {n.text[:70]}" for n in listed},
    )


class Writer:
    """One person at a laptop: joins, shares, edits and withdraws, answers others'
    statements, proposes and backs needs, now and then joins the vote, spends every dot
    and rates a need."""

    def __init__(
        self, number: int, url: str, room: Room, ledger: Ledger, up: asyncio.Event, seed: int
    ) -> None:
        self.number, self.url, self.room, self.ledger, self.up = number, url, room, ledger, up
        self.rng = random.Random(seed * 1000 + number)
        self.tab: Tab | None = None  # on the Share workshop
        self.token: str | None = None
        self.mine: list[int] = []  # own statements, shared and not withdrawn
        self.proposing: Tab | None = None  # on the Propose workshop
        self.proposer: str | None = None
        self.backed: set[int] = set()
        self.said = self.proposed = self.voters = self.proposers = self.edits = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.up.wait()
            roll = self.rng.random()
            try:
                if roll < 0.12:
                    await self.vote()
                elif roll < 0.30:
                    await self.propose_or_back()
                elif roll < 0.45:
                    await self.react()
                elif roll < 0.55 and self.mine:
                    await self.edit()
                elif roll < 0.60 and self.mine:
                    await self.withdraw()
                else:
                    await self.share()
            except BROKEN:
                self.ledger.interrupted += 1
                await self._drop()
                await asyncio.sleep(0.05)
        await self._drop()

    async def _drop(self) -> None:
        for tab in (self.tab, self.proposing):
            if tab is not None:
                with contextlib.suppress(BROKEN):
                    await tab.close()
        self.tab = self.proposing = None

    async def _join(self, code: str, name: str) -> tuple[Tab, str]:
        tab = Tab(self.url, "participate", f"code={code}", timeout=20)
        await tab.open()
        self.ledger.names_tried.append(name)
        answered, answer = await join_request(tab, name, f"Team {self.number % 4}")
        if answered != 200:
            raise PageError(f"joining {code} as {name} did not issue a link: {answered} {answer}")
        token = tab.joined
        self.ledger.joined[token] = name
        self.ledger.confirm()
        return tab, token

    async def _sharing(self) -> tuple[Tab, str]:
        if self.tab is None:
            if self.token is None:
                self.tab, self.token = await self._join(self.room.share_code, f"Writer {self.number}")
                self.mine = []
            else:
                self.tab = Tab(self.url, "participate", f"t={self.token}", timeout=20)
                await self.tab.open()
        assert self.token is not None
        return self.tab, self.token

    def _key(self, code: str, token: str, action: str, subject: int) -> Key:
        return (code, token, action, subject)

    async def share(self) -> None:
        tab, token = await self._sharing()
        self.said += 1
        text = f"Durability check: writer {self.number}, statement {self.said}"
        self.ledger.tried[text] += 1
        code, answer = await share_request(tab, self.room.theme_id, text)
        shown = [s["id"] for s in answer.get("mine", []) if s["text"] == text] if code == 200 else []
        if shown:
            self.ledger.ack(self._key(self.room.share_code, token, "share", shown[0]))
            self.mine.append(shown[0])
        elif code == 429:  # as much as one person may write: the writer comes back as another
            self.token = None
            await self._drop()

    async def edit(self) -> None:
        tab, token = await self._sharing()
        if not self.mine:  # a new person (the last one wrote all they may): nothing of theirs yet
            return await self.share()
        statement = self.rng.choice(self.mine)
        self.edits += 1
        text = f"Durability check: writer {self.number}, statement #{statement}, edit {self.edits}"
        self.ledger.tried[text] += 1
        key = self._key(self.room.share_code, token, "edit_statement", statement)
        self.ledger.attempted[key] += 1
        code, answer = await tab.post(
            paths.SHARE,
            {"do": "edit", "statement": statement, "text": text},
            self._header(tab),
        )
        if code == 200 and {"id": statement, "theme": self.room.theme_id, "text": text} in answer["mine"]:
            self.ledger.ack(key)

    async def withdraw(self) -> None:
        tab, token = await self._sharing()
        if not self.mine:  # a new person (the last one wrote all they may): nothing of theirs yet
            return await self.share()
        statement = self.mine.pop(self.rng.randrange(len(self.mine)))
        key = self._key(self.room.share_code, token, "withdraw_statement", statement)
        self.ledger.attempted[key] += 1
        code, answer = await tab.post(
            paths.SHARE, {"do": "withdraw", "statement": statement}, self._header(tab)
        )
        if code == 200 and statement not in [s["id"] for s in answer["mine"]]:
            self.ledger.ack(key)

    async def react(self) -> None:
        tab, token = await self._sharing()
        if tab.screen.component_data(APP) is None:
            return await self.share()
        code, answer = await card_request(tab)  # the next statement to answer
        card = answer.get("card") if code == 200 else None
        if card is None:
            return await self.share()
        key = self._key(self.room.share_code, token, "react", card["id"])
        self.ledger.attempted[key] += 1
        code, _ = await card_request(tab, card["id"], self.rng.choice(REACTIONS))
        if code == 200:
            self.ledger.ack(key)

    @staticmethod
    def _header(tab: Tab) -> dict[str, str]:
        data = tab.screen.component_data(APP)
        return {data["header"]: data["token"]}

    async def propose_or_back(self) -> None:
        if self.proposing is None:
            if self.proposer is None:
                self.proposers += 1
                name = f"Proposer {self.number}.{self.proposers}"
                self.proposing, self.proposer = await self._join(self.room.propose_code, name)
                self.backed = set()
            else:
                self.proposing = Tab(self.url, "participate", f"t={self.proposer}", timeout=20)
                await self.proposing.open()
        tab, token = self.proposing, self.proposer
        assert token is not None
        unbacked = [n for n in self.room.back_needs if n not in self.backed]
        if unbacked and self.rng.random() < 0.5 and tab.screen.component_data(APP) is not None:
            need = self.rng.choice(unbacked)
            self.backed.add(need)
            key = self._key(self.room.propose_code, token, "back", need)
            self.ledger.attempted[key] += 1
            code, answer = await back_request(tab, need, True)
            if code == 200 and answer["backed"]:
                self.ledger.ack(key)
            return
        self.proposed += 1
        text = f"Durability need: writer {self.number}, need {self.proposed}"
        self.ledger.tried[text] += 1
        code, answer = await propose_request(tab, self.room.propose_theme, text)
        shown = [n["id"] for n in answer.get("mine", []) if n["text"] == text] if code == 200 else []
        if shown:
            self.ledger.ack(self._key(self.room.propose_code, token, "propose", shown[0]))
        elif code == 429:  # as many needs as one person may propose: back as another
            self.proposer = None
            await tab.close()
            self.proposing = None

    async def vote(self) -> None:
        """A fresh participant of the Vote workshop places every dot, one click at a time,
        and rates one need in its dialog (`POST api/rate`)."""
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
            need = self.rng.choice(needs)
            importance, capability = self.rng.randint(1, 5), self.rng.randint(1, 5)
            key = self._key(self.room.vote_code, token, "rate", need)
            self.ledger.attempted[key] += 1
            code, answer = await tab.post(
                paths.RATE,
                {"need": need, "importance": importance, "capability": capability},
                self._header(tab),
            )
            if code == 200 and answer["rating"] == [importance, capability]:
                self.ledger.ack(key)
        finally:
            await tab.close()


class Facilitator:
    """The Propose workshop's facilitator on Facilitate: hides a need and shows it again,
    merges one need into another and unmerges it, turn about, reading each time from the
    page where things stand (after a restart, a write in flight may or may not be done)."""

    def __init__(self, url: str, room: Room, ledger: Ledger, up: asyncio.Event, seed: int) -> None:
        self.url, self.room, self.ledger, self.up = url, room, ledger, up
        self.rng = random.Random(seed)
        self.tab: Tab | None = None
        self.turn = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.up.wait()
            try:
                await self.step()
            except BROKEN:
                self.ledger.interrupted += 1
                if self.tab is not None:
                    with contextlib.suppress(BROKEN):
                        await self.tab.close()
                self.tab = None
            await asyncio.sleep(self.rng.uniform(0.2, 0.6))
        if self.tab is not None:
            with contextlib.suppress(BROKEN):
                await self.tab.close()

    def _key(self, action: str, subject: int) -> Key:
        return (self.room.propose_code, FACILITATOR, action, subject)

    def _hide_label(self) -> str:
        assert self.tab is not None
        found = self.tab.screen.widget(f"hide_need_{self.room.hide_need}")
        if found is None:
            raise PageError("Facilitate does not list the need to hide")
        return found[1].label

    def _merged(self) -> bool:
        assert self.tab is not None
        # The caption reads "merged from #5, #9" (its # escaped for Markdown).
        return (
            re.search(rf"merged from [^\n]*?#{self.room.merge_source}\b", self.tab.screen.text()) is not None
        )

    async def step(self) -> None:
        if self.tab is None:
            self.tab = Tab(self.url, "facilitate", f"s={self.room.session}", timeout=20)
            await self.tab.open()
        self.turn += 1
        room = self.room
        if self.turn % 2:
            before = self._hide_label()
            key = self._key("hide_need" if before == "Hide" else "unhide_need", room.hide_need)
            self.ledger.attempted[key] += 1
            await self.tab.click(f"hide_need_{room.hide_need}")
            if self._hide_label() != before:
                self.ledger.ack(key)
        elif self._merged():
            key = self._key("unmerge_need", room.merge_source)
            self.ledger.attempted[key] += 1
            await self.tab.click(f"unmerge_{room.merge_source}")
            if not self._merged():
                self.ledger.ack(key)
        else:
            key = self._key("merge_needs", room.merge_source)
            self.ledger.attempted[key] += 1
            await self.tab.click(
                "merge_submit",
                merge_source=room.labels[room.merge_source],
                merge_target=room.labels[room.merge_target],
            )
            if self._merged():
                self.ledger.ack(key)


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
    tasks.append(asyncio.create_task(Facilitator(url_server.url, room, ledger, up, seed).run(stop)))
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


def check(db: Path, room: Room, ledger: Ledger) -> dict:
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
        # Every write records itself in the events log in its own transaction.
        events = {
            (code, who or FACILITATOR, action, subject): int(n)
            for code, who, action, subject, n in store._rows(
                "SELECT w.code, p.token_hash, e.action, e.subject_id, count(*) FROM events e "
                "JOIN workshops w ON w.id = e.workshop_id "
                "LEFT JOIN participants p ON p.id = e.participant_id GROUP BY ALL"
            )
        }

        def logged(key: Key) -> int:
            code, who, action, subject = key
            return events.get(
                (code, who if who == FACILITATOR else security.hash_token(who), action, subject), 0
            )

        for key, acked in ledger.acked.items():
            found += min(acked, logged(key))
            lost += max(0, acked - logged(key))
        duplicated += sum(max(0, logged(key) - tried) for key, tried in ledger.attempted.items())
        stored = Counter(
            text for (text,) in store._rows("SELECT text FROM statements UNION ALL SELECT text FROM needs")
        )
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
        acknowledged = len(ledger.joined) + sum(ledger.acked.values()) + acknowledged_dots
        kinds = {key[2] for key in ledger.acked} | ({"join"} if ledger.joined else set())
        kinds |= {"place_dot"} if acknowledged_dots else set()
        return {
            "acknowledged": acknowledged,
            "found": found,
            "lost": lost,
            "duplicated": duplicated,
            "kinds": sorted(kinds),
        }
    finally:
        store.close()


def run(
    kills: int = 5,
    writers: int = 16,
    seed: int = 1,
    gap: tuple[float, float] = (3.0, 6.0),
    workdir: Path | None = None,
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = workdir or Path(tmp)
        db = folder / "durability.duckdb"
        room = prepare(db)
        server = AppServer(db, log=folder / "server.log", env=ONE_ADDRESS_ROOM)
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
