"""What the projector shows, assembled once per change of a workshop.

`present_screen` runs only the queries and builds only the figures that the current phase
shows, and leaves out everything that is hidden until the results are revealed. The
Present page caches its result by data version, so every open projector shares it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import plotly.graph_objects as go

from workshop import analytics, charts, settings
from workshop.errors import WorkshopNotFound
from workshop.i18n import _, npgettext
from workshop.live import LiveCache
from workshop.model import Phase, Workshop
from workshop.store import Store

T = TypeVar("T")


@dataclass(frozen=True)
class Number:
    value: int
    label: str
    # Its label is in the form the number asks ("1 statement", "8 statements"; in Finnish
    # "1 kommentti", "8 kommenttia"): npgettext("projector", singular, plural, value).


def _joined(n: int) -> Number:
    return Number(n, npgettext("projector", "joined", "joined", n))


@dataclass(frozen=True)
class PresentScreen:
    """Everything on the projector for one version of a workshop's data."""

    workshop: Workshop
    numbers: tuple[Number, ...]
    charts: tuple[tuple[str, go.Figure], ...] = ()  # (key, figure), in reading order
    terms: tuple[tuple[str, go.Figure], ...] = ()  # (theme, figure): shown in turn
    wall: tuple[tuple[str, str], ...] = ()  # (theme, text) of recent statements or needs, shown in turn
    pairs: tuple[tuple[str, str], ...] = ()  # (team, "what ← from whom"): who can help whom, in Results
    note: str | None = None  # a sentence in place of charts (e.g. results still hidden)
    terms_of: tuple[Any, ...] | None = None  # the statements version the key terms were computed for
    terms_at: float = 0.0  # when they were computed (on the `clock` present_screen was given)
    terms_removal: int = -1  # the store's removal version then
    # When the screen is out of date without any change: key terms kept while statements
    # came in are made again once the room has been quiet for TERMS_EVERY (the end of Share,
    # when people stop typing, is when the room looks at them).
    redo_at: float | None = None


# Seconds the key terms are kept while statements only come in: a room of hundreds sends
# several a second, and each computation is a TF-IDF over every statement, once per
# projector refresh. An edit, a withdrawal or a hidden statement recomputes them at once.
TERMS_EVERY = 5.0


def present_screen(
    store: Store,
    workshop_id: int,
    previous: PresentScreen | None = None,
    terms_every: float = TERMS_EVERY,
    clock: Callable[[], float] = time.monotonic,
) -> PresentScreen:
    """Assemble the projector screen for the workshop's current phase.

    With the `previous` screen, key terms are reused while no statement has changed
    (reactions, the most frequent change in Share, leave them as they are), and for
    `terms_every` seconds (on `clock`) while statements were only added; such a screen says
    when it is out of date (`redo_at`).
    """
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise KeyError(workshop_id)

    def query(fn: Callable[..., T], *args: Any) -> T:
        return fn(store, workshop_id, *args)

    phase = workshop.phase
    if phase in (Phase.VOTE, Phase.RESULTS, Phase.CLOSED):
        return _vote_screen(store, workshop)
    counts = query(analytics.participation, phase)
    joined, taking_part = _joined(counts["joined"]), counts["contributed"]
    if phase is Phase.LOBBY:
        return PresentScreen(workshop, (joined,))

    if phase is Phase.SHARE:
        per_theme = query(analytics.statements_per_theme)
        said = int(per_theme["statements"].sum())
        statements_version = query(analytics.statements_version)
        removal = store.removal_version(workshop_id)
        if (
            previous is not None
            and previous.terms
            and (
                previous.terms_of == statements_version
                or (previous.terms_removal == removal and clock() - previous.terms_at < terms_every)
            )
        ):
            terms_figures, terms_of, terms_at = previous.terms, previous.terms_of, previous.terms_at
        else:
            terms_of, terms_at = statements_version, clock()
            terms = query(analytics.key_terms)
            with_terms = set(terms["theme"])  # themes without statements are left out of the turn
            terms_figures = tuple(
                (t.title, charts.key_terms(terms, t.title)) for t in workshop.themes if t.title in with_terms
            )
        recent = query(analytics.recent_statements)
        return PresentScreen(
            workshop,
            (
                joined,
                Number(said, npgettext("projector", "statement", "statements", said)),
                Number(taking_part, npgettext("projector", "has shared", "have shared", taking_part)),
            ),
            charts=(
                ("per_theme", charts.statements_per_theme(per_theme)),
                ("agreement", charts.agreement(query(analytics.agreement))),
            ),
            terms=terms_figures,
            terms_of=terms_of,
            terms_at=terms_at,
            terms_removal=removal,
            redo_at=None if terms_of == statements_version else terms_at + terms_every,
            wall=tuple(zip(recent["theme"], recent["text"], strict=True)),
        )

    if phase is Phase.PROPOSE:
        recent = query(analytics.recent_needs)
        total = query(analytics.visible_counts)["needs"]
        return PresentScreen(
            workshop,
            (
                joined,
                Number(total, npgettext("projector", "need proposed", "needs proposed", total)),
                Number(
                    taking_part,
                    npgettext("projector", "has proposed or backed", "have proposed or backed", taking_part),
                ),
            ),
            charts=(
                (
                    "activity",
                    charts.contributions_over_time(query(analytics.contributions_over_time)),
                ),
            ),
            wall=tuple(zip(recent["theme"], recent["text"], strict=True)),
        )


def _vote_screen(store: Store, workshop: Workshop) -> PresentScreen:
    """Vote, Results and Closed: the dots cast, and once revealed the ranking and, after
    voting, what the room chose per team and theme."""
    workshop_id, phase = workshop.id, workshop.phase

    def query(fn: Callable[..., T], *args: Any) -> T:
        return fn(store, workshop_id, *args)

    if not workshop.counts_visible:
        read = side_by_side(
            {
                "counts": lambda: query(analytics.participation, phase),
                "cast": lambda: query(analytics.votes_cast),
            }
        )
        joined = _joined(read["counts"]["joined"])
        return PresentScreen(
            workshop,
            _vote_numbers(joined, read["cast"]),
            note=_("The ranking appears when the facilitator reveals the results."),
        )

    # The reads of a revealed screen are independent of each other: they run side by side
    # (DuckDB works outside the interpreter's lock), the figures are built here after them.
    least = settings.min_team_size()
    # The longest reads first: the pool starts them in this order.
    reads: dict[str, Callable[[], Any]] = {"by_team": lambda: query(analytics.support_by_team, least)}
    if phase is Phase.RESULTS:
        reads["themes"] = lambda: query(analytics.theme_by_team, least)
    reads["counts"] = lambda: query(analytics.participation, phase)
    if workshop.rate_needs:
        reads["matrix"] = lambda: query(analytics.importance_capability)
    if phase is Phase.RESULTS:
        reads["moved"] = lambda: analytics.votes_moved(store, workshop_id)
        if workshop.show_help_pairs:
            reads["pairs"] = lambda: store.help_pairs(workshop_id, least, analytics.HELP_RULE)
    if phase is Phase.CLOSED:
        reads["activity"] = lambda: query(analytics.contributions_over_time)
    reads["cast"] = lambda: query(analytics.votes_cast)
    read = side_by_side(reads)
    by_team, counts = read["by_team"], read["counts"]
    joined = _joined(counts["joined"])
    help_pairs: tuple[tuple[str, str], ...] = ()
    order = analytics.ranking_order(by_team)
    ranks = {need_id: rank for rank, need_id in enumerate(order, start=1)}
    shown: list[tuple[str, go.Figure]] = [
        (
            "ranking",
            charts.needs_by_team(by_team, joined=counts["joined"], order=order, label=charts.ONE_LINE),
        )
    ]
    if workshop.rate_needs:
        shown.append(("matrix", charts.importance_capability(read["matrix"], ranks)))
    if phase is Phase.RESULTS:
        shown.append(
            (
                "consensus",
                charts.consensus_by_need(analytics.consensus(by_team), ranks, label=charts.ONE_LINE),
            )
        )
        shown.append(("teams", charts.team_heatmap(by_team, order=order, label=charts.ONE_LINE)))
        shown.append(("themes", charts.theme_team_heatmap(read["themes"])))
        moved = read["moved"]
        if moved["moved"] and not moved["shown_from_start"]:
            shown.append(("moved", charts.votes_moved(moved, label=charts.ONE_LINE)))
        if workshop.show_help_pairs:
            pairs = analytics.who_can_help(read["pairs"])
            help_pairs = tuple(
                (
                    _("{team} would learn").format(team=p["team"]),
                    _("{what} — from {teams}").format(what=p["would learn"], teams=p["from"]),
                )
                for p in pairs
            )
    if phase is Phase.CLOSED:
        shown.append(("activity", charts.contributions_over_time(read["activity"])))
    numbers = _vote_numbers(joined, read["cast"])
    return PresentScreen(workshop, numbers, charts=tuple(shown), pairs=help_pairs)


def _vote_numbers(joined: Number, cast: dict[str, int]) -> tuple[Number, ...]:
    return (
        joined,
        Number(cast["dots"], npgettext("projector", "dot placed", "dots placed", cast["dots"])),
        Number(cast["voters"], npgettext("projector", "has voted", "have voted", cast["voters"])),
    )


_readers: ThreadPoolExecutor | None = None
_readers_lock = threading.Lock()
READERS = 2  # reads of one screen at once (the machines serving a room have a core or two)


def side_by_side(reads: dict[str, Callable[[], Any]]) -> Reads:
    """Start each of `reads` (name -> a read of the store) on a small pool shared by every
    screen; its result is waited for where it is used (`read[name]`, raising the read's
    error), so the figures of the first reads are built while the others still run."""
    global _readers
    with _readers_lock:
        if _readers is None:
            _readers = ThreadPoolExecutor(READERS, thread_name_prefix="cocreate-screen")
    return Reads({name: _readers.submit(read) for name, read in reads.items()})


class Reads:
    """The reads started by side_by_side, by name."""

    def __init__(self, futures: dict[str, Future[Any]]) -> None:
        self._futures = futures

    def __getitem__(self, name: str) -> Any:
        return self._futures[name].result()


# -- the projector's screen as its component draws it ---------------------------------

ROTATE_SECONDS = 12  # the projector turns to its next page of panels this often


def projector_json(screen: PresentScreen) -> str:
    """The projector's screen as its component draws it: JSON made once per screen (the
    figures are the larger part), the same for every projector of the workshop."""
    w = screen.workshop
    view: dict[str, Any] = {
        "title": w.title,
        "code": w.code,
        "phase": w.phase.value,
        "label": w.phase.label,
        "rotate": ROTATE_SECONDS,
        "paused": w.projector_paused,
        "dark": w.projector_dark,
        "numbers": [{"value": n.value, "label": n.label} for n in screen.numbers],
        "note": screen.note,
        "lobby": None,
        "charts": [{"key": key, "figure": figure.to_json()} for key, figure in screen.charts],
        "terms": [{"theme": theme, "figure": figure.to_json()} for theme, figure in screen.terms],
        "wall": [list(item) for item in screen.wall],
        "pairs": [list(item) for item in screen.pairs],
    }
    if w.phase is Phase.LOBBY:
        view["lobby"] = {"strategy": w.strategy, "themes": [t.title for t in w.themes]}
    if w.phase is Phase.SHARE:
        view["themes"] = [{"title": t.title, "question": t.prompt} for t in w.themes]
    return json.dumps(view)


def projector_view(
    store: Store, live: LiveCache, workshop_id: int
) -> tuple[str, datetime | None, float | None]:
    """The projector's view (JSON) for the workshop's current data version, made once for
    every projector; when its timer ends; and when it is out of date without a change (on
    the live cache's clock: key terms kept while statements came in, made again once the
    room is quiet). Raises WorkshopNotFound."""

    def made() -> tuple[PresentScreen, str]:
        previous = live.previous("present", workshop_id)
        try:
            screen = present_screen(store, workshop_id, previous[0] if previous else None, clock=live.clock)
        except KeyError:
            raise WorkshopNotFound(_("This workshop no longer exists.")) from None
        return screen, projector_json(screen)

    screen, view = live.get("present", workshop_id, made)
    if screen.redo_at is not None and live.clock() >= screen.redo_at:
        live.forget("present", workshop_id)
        screen, view = live.get("present", workshop_id, made)
    return view, screen.workshop.timer_ends_at, screen.redo_at
