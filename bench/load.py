"""How many people one Cocreate process serves: simulated participants over the real protocol.

Starts the app (or uses `--url`) on a fresh DuckDB file or PostgreSQL schema with one workshop in the Lobby and
plays a whole workshop against it. Every participant is a browser tab without the browser
(`deploy/wire.py`): it opens the join link, joins as the participant's app does (`POST
api/join`), and then asks what the app asks in a browser (ui/components/participant): `GET api/view`, the room's status stream
(`/api/room/events`), and the view again whenever the status shows the room moved (a new
phase, the reveal, anything others added, answered or voted); the facilitator moves the room through Share, Propose, Vote, Results
and Closed from the Facilitate page, whose live counts rerun every 3 s as the browser's timer reruns
them; projectors open the Present page and follow its stream
(`/api/present/events`, ui/components/projector.py). With think time
between actions each participant shares two statements and reacts to others, proposes a
need or backs others', and places all their dots.

Measured in the same run:
- p50_ms / p95_ms: a participant's interaction (click to the route's answer);
- vote_to_present_p95_ms: from a dot's confirmation to a projector showing a total that
  includes it (a projector's stream carries each new version of the screen);
- cpu_ms_per_interaction: server CPU (user + system, from /proc) during the workshop
  divided by participant interactions (so it includes every tab's status and redraws in between);
- rerun_cpu_ms: server CPU per page or fragment run of any kind (each tab's opening,
  interactions, redraws, the facilitator's clicks and live counts, each projector's one);
- status_requests / status_events / poll_p95_ms: the apps' streams opened (and plain
  `/api/room` requests when one could not be), the statuses written on them, and how long
  a `GET api/view` took;
- floor_cpu_ms_per_rerun: the CPU of one rerun of an empty Streamlit page, measured on a
  second server with the same settings right after the workshop;
- mb_per_session: growth of the server's resident memory per connected tab;
  server_mb_at_end: its resident memory once the workshop is over;
- errors: page exceptions, closed connections, error messages nobody caused on purpose;
- lost_votes: dots a participant's screen confirmed that the database does not hold.
- phase_to_screens_p95_ms: from the facilitator's click on the next phase to the screen of
  a participant who was in the room showing it; p95_ms_by_phase: p95 of the interactions
  in each phase;
- new_phase_p95_ms: the same per phase moved to, Share to Closed;
- chromium_new_phase_p95_ms (with --browsers N): the same for N real Chromium participants
  following the room beside the simulated tabs (bench/browsers.py), as their screens drew it;
- page_runs_per_participant (last): participant page runs over the workshop (/metrics)
  per participant: the join link's, and nothing after.

    python -m bench.load --participants 100 --duration 240
    python -m bench.load --participants 2000 --duration 900 --self-paced   # the schedule moves it; visits spread
    python -m bench.load ... --database-url postgresql://... [--replicas 2]   # PostgreSQL, N processes
    python -m bench.load ... --url https://cocreate.example.org --database-url postgresql://...

Prints one JSON object last.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import websockets

from bench.browsers import Browsers
from deploy.server import ROOT, AppServer, pg_schema
from deploy.stack import Stack
from deploy.wire import (
    ONE_ADDRESS_ROOM,
    PageError,
    Tab,
    back_request,
    board_dot,
    card_request,
    check_room,
    join_request,
    propose_request,
    room_moved,
    run_sync,
    share_request,
    view_request,
)
from ui.components import (
    projector,
)
from web import paths
from workshop import actions, security
from workshop.model import Phase
from workshop.store import Store
from workshop.templates import template

REACTIONS = ("agree", "agree", "disagree", "pass")
BROKEN = (  # what a request or a page run raises when the server went away or hung
    PageError,
    OSError,
    asyncio.TimeoutError,
    asyncio.IncompleteReadError,
    websockets.WebSocketException,
    httpx2.TransportError,
)
TEAMS = ("Sales", "Support", "Product", "Finance", "Operations", "Logistics")
SAYINGS = (
    "We answer customers faster when the self-service flow is clear",
    "Our team needs shared numbers before we can decide on priorities",
    "Handovers between teams slow down every customer case",
    "I would like to learn how to read the new dashboards properly",
    "Sustainability targets change how we plan deliveries next year",
    "We should pair experienced people with newcomers on hard cases",
)
NEEDS = (
    "Coaching on data-driven decisions",
    "Shared customer journey mapping",
    "Training on the new service platform",
    "Time for cross-team case reviews",
    "Clear ownership of customer requests",
)


@dataclass
class Plan:
    code: str
    facilitator_link: str
    presenter_link: str
    dot_budget: int
    per_need_cap: int
    opens: tuple[tuple[str, float], ...] = ()  # a self-paced room: (phase, epoch seconds it opens)


MOVES = ("Share", "Propose", "Vote", "Results", "Closed")  # the facilitator's clicks on "next phase"
SCHEDULE = (0.10, 0.30, 0.48, 0.80, 0.90)  # when, as fractions of the run's duration


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # ms, participant interactions
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    stale: int = 0  # refused because the room had moved on since the screen was drawn
    poll_ms: list[float] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    dots: list[tuple[float, int]] = field(default_factory=list)  # (confirmed at, running total)
    confirmed_dots: dict[str, int] = field(default_factory=dict)  # token -> dots its screen confirmed
    shown: list[tuple[float, int]] = field(default_factory=list)  # projector: (time, dots placed)
    runs: int = 0
    status_requests: int = 0  # the participants' watches opening /api/room/events (or asking /api/room)
    status_events: int = 0  # statuses written to them on their streams
    timeline: list[tuple[float, str, float]] = field(default_factory=list)  # (ended at, kind, ms)
    phases: list[tuple[str, float]] = field(default_factory=list)  # (phase, began at)
    reached: dict[str, list[float]] = field(
        default_factory=dict
    )  # phase -> ms from its click to a tab showing it

    def record(self, kind: str, ms: float) -> None:
        self.timeline.append((time.monotonic(), kind, ms))
        self.latencies.append(ms)
        self.kinds[kind] += 1
        self.by_kind.setdefault(kind, []).append(ms)

    def error(self, where: str, what: object) -> None:
        self.errors.append(f"{where}: {what}")


def prepare(db: Path | str, per_need_cap: int = 3, self_paced: tuple[float, float] | None = None) -> Plan:
    """The workshop of the run. `self_paced`: (seconds from now to the run's start, its
    duration): a self-paced workshop whose schedule opens Share to Closed at SCHEDULE's
    fractions of the run (the app's clock moves it; nobody clicks)."""
    store = Store(db)
    draft = template("customer-growth").draft
    opens: tuple[tuple[str, float], ...] = ()
    if self_paced is not None:
        lead, duration = self_paced
        start = time.time() + lead
        opens = tuple((name, start + at * duration) for name, at in zip(MOVES, SCHEDULE, strict=True))
        schedule = tuple(
            (Phase(name.lower()), datetime.fromtimestamp(at, UTC).replace(tzinfo=None)) for name, at in opens
        )
        draft = replace(draft, self_paced=True, time_zone="UTC", schedule=schedule)
    created = actions.create_workshop(store, draft)
    store.close()
    return Plan(
        created.workshop.code,
        created.session_token,
        created.presenter_token,
        draft.dot_budget,
        draft.per_need_cap,
        opens,
    )


class Person:
    """A participant's tab: joins, then does what the participant's app does in a browser
    (ui/components/participant): asks `GET api/view`, follows the room's status stream and
    asks the view again when the room moved, and writes, backs and votes with think time."""

    def __init__(self, number: int, url: str, plan: Plan, figures: Figures, think: float, seed: int) -> None:
        self.number, self.url, self.plan, self.figures, self.think = number, url, plan, figures, think
        self.rng = random.Random(seed * 7919 + number)
        self.tab = Tab(url, "participate", f"code={plan.code}", timeout=60)
        self.lock = asyncio.Lock()  # the tab's one connection for requests
        self.done: set[str] = set()
        self.view: dict | None = None  # what the app shows, as `GET api/view` last answered
        self.my_dots: Counter = Counter()  # need id -> this person's dots on it, as the app says
        self.used = 0
        self.token = ""
        self.asking: asyncio.Task | None = None  # the view request on its way
        self.again = False  # the room moved while it was on its way

    async def ask(self, kind: str, request: Callable[[], Awaitable[tuple[int, Any]]]) -> tuple[int, Any]:
        """A click the app answers with a request of its own (a statement, a reaction, a
        backing, a dot), timed as an interaction. A refusal because the room moved on is
        what a real person meets too; any other refusal is an error."""
        async with self.lock:  # one request at a time on the tab's connection
            start = time.perf_counter()
            try:
                code, answer = await request()
            except BROKEN as exc:
                self.figures.error(f"participant {self.number} {kind}", exc)
                return 0, {}
            self.figures.record(kind, (time.perf_counter() - start) * 1000)
        if code != 200:
            if "only in" in answer.get("error", ""):
                self.figures.stale += 1
            else:
                self.figures.error(f"participant {self.number} {kind}", f"{code} {answer}")
        return code, answer

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    async def look(self) -> None:
        """`GET api/view`, as the app asks it: once at a time, and once more when the room
        moved while it was on its way."""
        while True:
            self.again = False
            had, shown = self.view is not None, self.phase()
            async with self.lock:
                start = time.perf_counter()
                try:
                    code, view = await view_request(self.tab, self.view)
                except BROKEN as exc:
                    self.figures.error(f"participant {self.number} view", exc)
                    return
                self.figures.poll_ms.append((time.perf_counter() - start) * 1000)
            if code != 200:
                self.figures.error(f"participant {self.number} view", f"{code} {view}")
                return
            self.view, self.used = view, view["me"]["used"]
            self.my_dots = Counter({int(k): v for k, v in view["me"]["dots"].items()})
            now, phases = self.phase(), self.figures.phases
            # A screen that was in the room when it moved: a person joining after the move
            # never saw the phase before (their join is timed as such).
            if had and now != shown and phases and phases[-1][0] == now:
                self.figures.reached.setdefault(now, []).append((time.monotonic() - phases[-1][1]) * 1000)
            if not self.again:
                return

    def moved(self, status: dict) -> None:
        if self.view is None or not room_moved(self.view, status):
            return
        if self.asking is not None and not self.asking.done():
            self.again = True
        else:
            self.asking = asyncio.create_task(self.look())

    async def follow(self, stop: asyncio.Event) -> None:
        """What the app does in the browser: listen to the room's status
        (`/api/room/events`) and ask for the view when the room moved; when the stream
        cannot be opened, check once and listen again a few seconds later."""
        try:
            while not stop.is_set():
                self.figures.status_requests += 1
                streamed = False
                events = self.tab.events(paths.ROOM_EVENTS, {paths.PARTICIPANT_HEADER: self.token})
                async with contextlib.aclosing(events):
                    async for code, status in events:
                        if code != 200 or "error" in status:
                            self.figures.error(f"participant {self.number} status", f"{code} {status}")
                            break
                        streamed = True
                        self.figures.status_events += 1
                        self.moved(status)
                if not streamed and not stop.is_set() and self.view is not None:
                    async with self.lock:
                        code, status, self.view = await check_room(self.tab, self.view)
                    self.figures.status_requests += 1
                every = self.view["status"]["every"] if self.view else 1.0
                # as the app does without a stream: it looks again every few seconds (follow.js)
                await asyncio.sleep(every * self.rng.uniform(0.85, 1.15))
        finally:
            if self.asking is not None:
                self.asking.cancel()

    def phase(self) -> str:
        return self.view["room"]["workshop"]["label"] if self.view else "Lobby"

    async def open(self, kind: str = "open") -> None:
        """Open the tab (its page run), timed as `kind`."""
        start = time.perf_counter()
        await self.tab.open()
        self.figures.record(kind, (time.perf_counter() - start) * 1000)
        self.figures.runs += len(self.tab.last_runs)

    async def join(self) -> None:
        """Join as the app does once the person has read the form."""
        await self.pause()
        start = time.perf_counter()
        code, answer = await join_request(self.tab, f"Person {self.number}", TEAMS[self.number % len(TEAMS)])
        self.figures.record("join", (time.perf_counter() - start) * 1000)
        if code != 200:
            raise PageError(f"joining as person {self.number}: {code} {answer}")
        self.token = self.tab.joined

    async def run(self, stop: asyncio.Event, start_within: float) -> None:
        try:
            await asyncio.sleep(self.rng.uniform(0, start_within))
            await self.open()
            await self.join()
            await self.look()  # the app, mounted, asks what to show
            poller = asyncio.create_task(self.follow(stop))
            try:
                while not stop.is_set():
                    await self.pause()
                    await self.step()
            finally:
                poller.cancel()
                await asyncio.gather(poller, return_exceptions=True)
        except BROKEN as exc:
            self.figures.error(f"participant {self.number}", exc)
        finally:
            await self.tab.close()

    async def step(self) -> None:
        if self.view is None:
            return
        phase, room, me = self.phase(), self.view["room"], self.view["me"]
        if phase == "Share":
            said = sum(1 for d in self.done if d.startswith("say"))
            if said < 2:
                theme = self.rng.choice(room["workshop"]["themes"])["id"]
                text = f"{self.rng.choice(SAYINGS)} (person {self.number}, {said + 1})"
                self.done.add(f"say{said}")
                code, answer = await self.ask("share", lambda: share_request(self.tab, theme, text))
                if code == 200:
                    me["statements"] = answer["mine"]
                return
            card = me.get("card")
            if card is None or sum(1 for d in self.done if d.startswith("react_")) >= 3:
                return
            statement, kind = card["id"], self.rng.choice(REACTIONS)
            self.done.add(f"react_{statement}")
            code, answer = await self.ask("react", lambda: card_request(self.tab, statement, kind))
            if code == 200:
                me["card"], me["waiting"] = answer["card"], answer["waiting"]
        elif phase == "Propose":
            own = {n["id"] for n in me["needs"]}
            others = [n for n in room.get("needs", []) if n["id"] not in own]
            if "propose" not in self.done and (self.number % 3 == 0 or not others):
                theme = self.rng.choice(room["workshop"]["themes"])["id"]
                text = f"{self.rng.choice(NEEDS)} ({self.number})"
                self.done.add("propose")
                code, answer = await self.ask("propose", lambda: propose_request(self.tab, theme, text))
                if code == 200:
                    me["needs"] = answer["mine"]
                return
            backs = [n["id"] for n in others if f"back_{n['id']}" not in self.done]
            if sum(1 for d in self.done if d.startswith("back_")) < 2 and backs:
                need = self.rng.choice(backs)
                self.done.add(f"back_{need}")
                await self.ask("back", lambda: back_request(self.tab, need, True))
        elif phase == "Vote":
            budget = room["workshop"]["budget"]
            choices = [
                n["id"] for n in room.get("needs", []) if self.my_dots[n["id"]] < self.plan.per_need_cap
            ]
            if self.used >= budget or not choices:
                return
            need = self.rng.choice(choices)
            code, answer = await self.ask("dot", lambda: board_dot(self.tab, need, 1))
            if code == 200 and answer["used"] > self.used:
                self.used, self.my_dots[need] = answer["used"], answer["mine"]
                self.figures.confirmed_dots[self.token] = self.used
                total = sum(self.figures.confirmed_dots.values())
                self.figures.dots.append((time.monotonic(), total))


class Visitor(Person):
    """A person of a self-paced workshop: comes by at a time of their own for a visit of a few
    actions, and about half come back in a later phase (their link, `participate?t=…`, opens
    their screen again: a new tab), as people on shifts and sites do over days."""

    async def run(self, stop: asyncio.Event, visits: list[tuple[float, float]]) -> None:  # type: ignore[override]
        """`visits`: (when, how long) in monotonic seconds."""
        try:
            for number, (at, length) in enumerate(visits):
                await asyncio.sleep(max(0.0, at - time.monotonic()))
                if stop.is_set():
                    return
                if number:
                    self.tab = Tab(self.url, "participate", f"t={self.token}", timeout=60)
                    await self.open("come back")
                else:
                    await self.open()
                    await self.join()
                self.view = None
                await self.look()
                poller = asyncio.create_task(self.follow(stop))
                try:
                    while not stop.is_set() and time.monotonic() < at + length:
                        await self.pause()
                        await self.step()
                finally:
                    poller.cancel()
                    await asyncio.gather(poller, return_exceptions=True)
                    await self.tab.close()
        except BROKEN as exc:
            self.figures.error(f"participant {self.number}", exc)
        finally:
            await self.tab.close()


def visits_of(rng: random.Random, plan: Plan, epoch: float, think: float) -> list[tuple[float, float]]:
    """A person's visits to a self-paced room, in monotonic seconds: the first at a random
    time while Share, Propose or Vote is open, and for about half one more in a later phase;
    each of about eight actions' length."""
    opens = dict(plan.opens)
    first, last = opens["Share"] - epoch, opens["Results"] - epoch
    length = 8 * think
    begin = rng.uniform(first, max(first, last - length))
    visits = [(begin, length)]
    if rng.random() < 0.5 and begin + 2 * length < last:
        visits.append((rng.uniform(begin + length, last - length), length))
    return visits


async def phases_as_scheduled(plan: Plan, figures: Figures, epoch: float, stop: asyncio.Event) -> None:
    """The schedule's moves as the run's phase changes (the app's clock makes them on time,
    within COCREATE_SCHEDULE_SECONDS): each phase begins at its time."""
    for name, at in plan.opens:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, at - epoch - time.monotonic()))
        if stop.is_set():
            return
        figures.phases.append((name, time.monotonic()))


class Projector:
    """The Present page as a projector's browser runs it: one page run, then the screen's
    stream (`api/present/events`, ui/components/projector.py); the dots placed as each view says."""

    def __init__(self, url: str, plan: Plan, figures: Figures) -> None:
        self.tab = Tab(url, "present", f"p={plan.presenter_link}", timeout=60)
        self.figures = figures

    def record(self, view: dict) -> None:
        for number in view["numbers"]:
            if number["label"] == "dots placed":
                self.figures.shown.append((time.monotonic(), number["value"]))

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await self.tab.open()
            self.figures.runs += len(self.tab.last_runs)
            data = self.tab.screen.component_data(projector.KEY)
            self.record(json.loads(data["view"]))
            while not stop.is_set():
                events = self.tab.events(paths.PRESENT_EVENTS, {data["header"]: data["token"]})
                async with contextlib.aclosing(events):
                    async for code, message in events:
                        if code != 200 or "error" in message:
                            self.figures.error("projector", f"{code} {message}")
                            break
                        self.record(message["view"])
                if not stop.is_set():
                    self.figures.error("projector", "the screen's stream ended")
                    await asyncio.sleep(data["every"])
        except BROKEN as exc:
            self.figures.error("projector", exc)
        finally:
            await self.tab.close()


class Facilitator:
    def __init__(self, url: str, plan: Plan, figures: Figures) -> None:
        self.tab = Tab(url, "facilitate", f"s={plan.facilitator_link}", timeout=60)
        self.figures = figures

    async def run(self, schedule: list[float], stop: asyncio.Event, opened: asyncio.Event) -> None:
        """Move the room on at `schedule` (seconds from the start), and meanwhile do what the
        browser's timer does on the Facilitate page: rerun its live counts every few seconds."""
        try:
            await self.tab.open()
            self.figures.runs += len(self.tab.last_runs)
            opened.set()
            begun = polled = time.monotonic()
            moves = [(begun + at, phase) for at, phase in zip(schedule, MOVES, strict=True)]
            while not stop.is_set():
                every = min(self.tab.fragments.values(), default=None)
                if moves and time.monotonic() >= moves[0][0]:
                    self.figures.phases.append((moves.pop(0)[1], time.monotonic()))
                    await self.tab.click("phase_next")
                    self.figures.runs += len(self.tab.last_runs)
                elif every and time.monotonic() >= polled + every:
                    polled = time.monotonic()
                    await self.tab.poll()
                    self.figures.runs += len(self.tab.last_runs)
                wake = min(moves[0][0] if moves else math.inf, polled + every if every else math.inf)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(0.0, min(wake - time.monotonic(), 60.0)))
        except BROKEN as exc:
            self.figures.error("facilitator", exc)
        finally:
            opened.set()
            await self.tab.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def workshop(
    url: str,
    plan: Plan,
    participants: int,
    duration: float,
    projectors: int,
    seed: int,
    pids: list[int],
    think: float,
) -> tuple[Figures, dict[str, Any]]:
    figures = Figures()
    stop = asyncio.Event()
    # Lobby for the first tenth (people arrive), then Share, Propose, Vote, Results and Closed.
    schedule = [at * duration for at in SCHEDULE]
    people = [
        (Visitor if plan.opens else Person)(i, url, plan, figures, think, seed) for i in range(participants)
    ]
    facilitator = Facilitator(url, plan, figures)
    screens = [Projector(url, plan, figures) for _ in range(projectors)]
    measured: dict[str, Any] = {}
    # The facilitator and the projectors are there before people arrive (and the server has
    # loaded its libraries); the measurement starts when the first participant may come in.
    # A self-paced room has no facilitator at its screen: its schedule moves it.
    opened = asyncio.Event()
    tasks = [] if plan.opens else [asyncio.create_task(facilitator.run(schedule, stop, opened))]
    if plan.opens:
        opened.set()
    await opened.wait()
    screens_stop = asyncio.Event()  # projectors stay a little longer than people
    projecting = [asyncio.create_task(s.run(screens_stop)) for s in screens]
    await asyncio.sleep(1.5)
    if pids:
        measured["rss_before"] = sum(rss_mb(p) for p in pids)
        measured["cpu_before"] = sum(cpu_seconds(p) for p in pids)
        measured["started"] = time.monotonic()
    figures.phases.append(("Lobby", time.monotonic()))
    if plan.opens:
        epoch = time.time() - time.monotonic()
        rng = random.Random(seed)
        tasks.append(asyncio.create_task(phases_as_scheduled(plan, figures, epoch, stop)))
        think = max(think, 1.0)
        tasks += [asyncio.create_task(p.run(stop, visits_of(rng, plan, epoch, think))) for p in people]
        # The run ends when the schedule has closed the room.
        duration = dict(plan.opens)["Closed"] - time.time() + 0.1 * duration
    else:
        tasks += [asyncio.create_task(p.run(stop, 0.08 * duration)) for p in people]
    await asyncio.sleep(0.95 * duration)
    if pids:
        measured["rss_peak"] = sum(rss_mb(p) for p in pids)
    await asyncio.sleep(0.05 * duration)
    stop.set()
    await asyncio.gather(*tasks)  # people finish what they were doing
    # A last look from the projectors once every vote is in.
    await asyncio.sleep(3.0)
    screens_stop.set()
    for task in projecting:  # each is waiting on its stream for a change that will not come
        task.cancel()
    await asyncio.gather(*projecting, return_exceptions=True)
    if pids:
        measured["cpu_after"] = sum(cpu_seconds(p) for p in pids)
        measured["rss_end"] = sum(rss_mb(p) for p in pids)
        measured["wall"] = time.monotonic() - measured["started"]
        measured["sessions"] = participants + projectors + 1
    return figures, measured


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def vote_to_present(figures: Figures) -> list[float]:
    delays = []
    shown = sorted(figures.shown)
    for confirmed_at, total in figures.dots:
        seen = next((t for t, value in shown if value >= total and t >= confirmed_at - 5), None)
        if seen is None:
            delays.append(float("inf"))
        else:
            delays.append(max(0.0, (seen - confirmed_at) * 1000))
    return delays


def p95_by_phase(figures: Figures) -> dict[str, float]:
    """p95 of the interactions that ended in each phase of the workshop (Lobby, Share …)."""
    phases = sorted(figures.phases, key=lambda p: p[1])
    spans: dict[str, list[float]] = {}
    for ended, _, ms in figures.timeline:
        phase = next((name for name, began in reversed(phases) if began <= ended), phases[0][0])
        spans.setdefault(phase, []).append(ms)
    return {name: round(percentile(spans.get(name, []), 0.95), 1) for name, _ in phases}


def _ms(value: float) -> int | None:
    return None if value == float("inf") else round(value)


def lost_votes(db: Path | str, plan: Plan, figures: Figures) -> int:
    store = Store(db)
    try:
        lost = 0
        for token, confirmed in figures.confirmed_dots.items():
            participant = store.participant_by_token(security.hash_token(token))
            held = store.dots_used(participant) if participant else 0
            lost += max(0, confirmed - held)
        return lost
    finally:
        store.close()


def measure_floor(reruns: int = 300) -> float:
    """ms of server CPU for one rerun of an empty Streamlit page, same settings as the app."""
    server = AppServer(None, script=ROOT / "bench" / "empty_app.py")
    server.start()
    try:

        async def go() -> float:
            async with Tab(server.url, "") as tab:
                for _ in range(min(30, reruns)):  # warm up
                    await tab.reload()
                before = cpu_seconds(server.pid)
                for _ in range(reruns):
                    await tab.reload()
                return (cpu_seconds(server.pid) - before) * 1000 / reruns

        return run_sync(go())
    finally:
        server.stop()


def run(
    participants: int,
    duration: float,
    projectors: int = 2,
    seed: int = 1,
    url: str | None = None,
    workdir: Path | None = None,
    think: float | None = None,
    database_url: str | None = None,
    replicas: int = 0,
    timeline: Path | None = None,
    patches: tuple[str, ...] | None = None,
    floor_reruns: int = 300,
    browsers: int = 0,
    self_paced: bool = False,
) -> dict[str, float | int]:
    """One workshop under load. Without `url`, starts the app: on a fresh DuckDB file, or with
    `database_url` on a fresh PostgreSQL schema, and with `replicas` ≥ 1 as that many
    processes behind nginx (deploy/stack.py). With `url` (a running Cocreate that uses
    `database_url`), the workshop is created in that database and no server figures are taken.
    With `patches` (one process), the server installs only those of Streamlit's runtime
    patches (ui/streamlit_patches.py), to measure what each buys. With `browsers`, that
    many real Chromium participants (bench/browsers.py) follow the room beside the
    simulated ones. `self_paced`: the workshop runs on its schedule (the app's clock moves
    it, looking every second), and people come by at times of their own over Share, Propose
    and Vote, about half of them twice (Visitor)."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        contextlib.ExitStack() as cleanup,
        contextlib.ExitStack() as servers,
    ):
        folder = workdir or Path(tmp)
        if url is not None and database_url is None:
            raise SystemExit(
                "--url needs --database-url: the database that server uses (to create the workshop)"
            )
        if patches is not None and (url is not None or replicas):
            raise SystemExit(
                "--patches applies to the one server this run starts: leave out --url and --replicas"
            )
        if replicas and not database_url:
            raise SystemExit("--replicas needs --database-url: replicas share PostgreSQL")
        if database_url is None:
            location: Path | str = folder / "load.duckdb"
        elif url is None:
            location = cleanup.enter_context(pg_schema(database_url, prefix="load"))
        else:
            location = database_url
        plan = prepare(location, self_paced=(12.0, duration) if self_paced else None)
        pids: list[int] = []
        if url is None:
            if replicas:
                stack = Stack(str(location), replicas, log_dir=folder, env=ONE_ADDRESS_ROOM | SCHEDULE_EVERY)
                stack.start()
                servers.callback(stack.stop)
                url, pids = stack.url, stack.pids
            else:
                # Every simulated tab comes from this machine's one address: the streams it
                # may hold are raised as for a room behind one network address translation.
                env = {
                    "COCREATE_ADMIN_KEY": METRICS_KEY,
                    "COCREATE_STREAMS_PER_ADDRESS": str(max(1000, 2 * participants)),
                    **ONE_ADDRESS_ROOM,
                    **SCHEDULE_EVERY,
                }
                script = ROOT / "serve.py"
                if patches is not None:
                    env["COCREATE_BENCH_PATCHES"] = ",".join(patches)
                    script = ROOT / "bench" / "serve_patched.py"
                if not isinstance(location, Path):
                    env["COCREATE_DATABASE_URL"] = location
                server = AppServer(
                    location if isinstance(location, Path) else None,
                    env=env,
                    log=folder / "server.log",
                    script=script,
                )
                server.start()
                servers.callback(server.stop)
                url, pids = server.url, [server.pid]
        chromium = Browsers(url, plan.code, browsers)
        if browsers:
            chromium.start()
        figures, measured = run_sync(
            workshop(
                url,
                plan,
                participants,
                duration,
                projectors,
                seed,
                pids,
                think if think is not None else max(1.0, duration / 40),
            )
        )
        if browsers:
            chromium.stop()
        scraped = scrape_metrics(url) if not replicas else {}
        servers.close()  # servers stop before the check: only what reached the database counts
        lost = lost_votes(location, plan, figures)
    if timeline is not None:
        began = min(at for _, at in figures.phases)
        rows = sorted(
            [(at, f"phase {name}", "") for name, at in figures.phases]
            + [(ended, kind, f"{ms:.1f}") for ended, kind, ms in figures.timeline]
        )
        timeline.write_text(
            "seconds,kind,ms\n" + "".join(f"{at - began:.2f},{kind},{ms}\n" for at, kind, ms in rows)
        )
    interactions = sum(figures.kinds.values())
    delays = vote_to_present(figures)
    reached = [ms for phase in figures.reached.values() for ms in phase]
    cpu_ms = (measured["cpu_after"] - measured["cpu_before"]) * 1000 if measured else 0.0
    result: dict[str, float | int] = {
        "participants": participants,
        "backend": "duckdb" if database_url is None else "postgresql",
        "replicas": replicas or 1,
        "interactions": interactions,
        "p50_ms": round(statistics.median(figures.latencies), 1) if figures.latencies else 0,
        "p95_ms": round(percentile(figures.latencies, 0.95), 1),
        # None: no dot was placed, or more than 5% of them never reached a projector during the run.
        "vote_to_present_p95_ms": _ms(percentile(delays, 0.95)) if delays else None,
        "cpu_ms_per_interaction": round(cpu_ms / interactions, 2) if interactions else 0,
        "rerun_cpu_ms": round(cpu_ms / max(1, figures.runs), 2),
        # Share of one core the server used while people were in: near 100 the GIL-bound
        # process is saturated and latency grows with the queue.
        "server_cpu_pct": round(100 * cpu_ms / 1000 / measured["wall"]) if measured else 0,
        "floor_cpu_ms_per_rerun": round(measure_floor(floor_reruns), 2),
        "mb_per_session": round((measured["rss_peak"] - measured["rss_before"]) / measured["sessions"], 2)
        if measured
        else 0,
        # The server's resident memory once the workshop is over (every process summed).
        "server_mb_at_end": round(measured["rss_end"]) if measured else None,
        "errors": len(figures.errors),
        "lost_votes": lost,
        "dots": sum(figures.confirmed_dots.values()),
        "projector_dots": max((v for _, v in figures.shown), default=0),
        "vote_to_present_p50_ms": _ms(percentile(delays, 0.5)) if delays else None,
        "poll_p95_ms": round(percentile(figures.poll_ms, 0.95), 1),
        # From the facilitator's click to a participant's screen showing the new phase.
        "phase_to_screens_p95_ms": round(percentile(reached, 0.95)),
        "phase_to_screens_max_ms": round(max(reached, default=0)),
        "page_runs": figures.runs,
        "status_requests": figures.status_requests,
        "status_events": figures.status_events,
        "stale_refusals": figures.stale,
        "p95_ms_by_phase": p95_by_phase(figures),
        "by_kind": {
            k: [len(v), round(statistics.median(v)), round(percentile(v, 0.95))]
            for k, v in sorted(figures.by_kind.items())
        },
    }
    if scraped:
        # The server's own figures (GET /metrics) beside the bench's: the dots its writes
        # counted, the dot requests it answered, the room streams it counted open.
        result["metrics"] = scraped  # type: ignore[assignment]
    if figures.errors:
        result["first_errors"] = figures.errors[:5]  # type: ignore[assignment]
    # Per phase, from the facilitator's click to a participant's screen showing it (None: no
    # screen showed that phase during the run).
    result["new_phase_p95_ms"] = {  # type: ignore[assignment]
        phase.lower(): round(percentile(figures.reached[phase], 0.95)) if phase in figures.reached else None
        for phase in MOVES
    }
    if browsers:
        # The same, as real Chromium participants' screens drew it (bench/browsers.py).
        epoch = time.time() - time.monotonic()
        clicks = [(name, at + epoch) for name, at in figures.phases if name in MOVES]
        drawn = chromium.new_phase_ms(clicks)
        result["chromium_new_phase_p95_ms"] = {  # type: ignore[assignment]
            phase.lower(): round(percentile(drawn[phase], 0.95)) if phase in drawn else None
            for phase in MOVES
        }
        result["chromium_screens"] = len(chromium.seen)
        if chromium.errors:
            result["chromium_errors"] = chromium.errors  # type: ignore[assignment]
    # Participant page runs over the whole workshop, per participant (from /metrics): the
    # join link's run, and nothing after (None with replicas: each has its own).
    runs = scraped.get("participant_page_runs")
    result["page_runs_per_participant"] = (
        round(runs / (participants + browsers), 2) if runs is not None else None
    )
    return result


SCHEDULE_EVERY = {"COCREATE_SCHEDULE_SECONDS": "1"}  # the app's clock looks every second
METRICS_KEY = "bench-organisation-key-9Xr4Lm"  # the server's organisation key, for reading /metrics


def scrape_metrics(url: str) -> dict[str, float]:
    """A few of the server's figures from `GET /metrics` (Prometheus' text format)."""
    import urllib.request

    request = urllib.request.Request(f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_KEY}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            text = reply.read().decode()
    except OSError:
        return {}
    wanted = {
        "dots_placed": 'cocreate_writes_total{kind="place_dot"}',
        "dots_taken_back": 'cocreate_writes_total{kind="remove_dot"}',
        "statements_shared": 'cocreate_writes_total{kind="share"}',
        "dot_requests_answered": 'cocreate_requests_total{method="POST",route="/api/dots",status="200"}',
        "room_streams_open": 'cocreate_open_streams{kind="room"}',
        "store_conflicts": "cocreate_store_conflicts_total",
        "page_runs": None,
        "participant_page_runs": 'cocreate_page_runs_total{page="participate"}',
    }
    figures: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        for figure, series in wanted.items():
            if series == name:
                figures[figure] = float(value)
            elif series is None and name.startswith("cocreate_page_runs_total{"):
                figures[figure] = figures.get(figure, 0.0) + float(value)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds the whole workshop takes")
    parser.add_argument("--projectors", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=8.0, help="mean seconds a person takes between actions"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--self-paced",
        action="store_true",
        help="a self-paced workshop: its schedule moves the room, people come and go over the phases",
    )
    parser.add_argument(
        "--browsers", type=int, default=0, help="real Chromium participants beside the simulated ones"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL to run on (a fresh schema in it, unless --url is given)",
    )
    parser.add_argument(
        "--replicas", type=int, default=0, help="app processes behind nginx (needs --database-url)"
    )
    parser.add_argument(
        "--url", default=None, help="a running Cocreate that uses --database-url (no server figures then)"
    )
    parser.add_argument(
        "--patches",
        default=None,
        help="comma-separated Streamlit patches the server installs (default: serve.py's, all)",
    )
    parser.add_argument(
        "--timeline",
        type=Path,
        default=None,
        help="write every interaction and phase change (seconds into the run, kind, ms) to this CSV",
    )
    args = parser.parse_args()
    result = run(
        args.participants,
        args.duration,
        args.projectors,
        args.seed,
        url=args.url,
        think=args.think,
        database_url=args.database_url,
        replicas=args.replicas,
        timeline=args.timeline,
        patches=None if args.patches is None else tuple(filter(None, args.patches.split(","))),
        browsers=args.browsers,
        self_paced=args.self_paced,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
