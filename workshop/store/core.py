"""The store's core: the connection, each write as one transaction retried when it conflicts, the
data versions every write moves, what is kept in memory between reads, and the event log."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from workshop import metrics
from workshop.backends import GLOBAL, open_backend
from workshop.errors import Busy, StoreUnavailable
from workshop.i18n import gettext
from workshop.memory import Kept, OwnStates
from workshop.migrations import SCHEMA_VERSION_TABLE, scripts
from workshop.model import (
    FollowUpStatus,
    Need,
    Participant,
    Phase,
    Reaction,
    Schedule,
    Statement,
    Theme,
    Workshop,
)

T = TypeVar("T")

RETRIES = 60
_logged = threading.local()  # the actions the transaction running in this thread logged


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DotResult(Enum):
    PLACED = "placed"
    BUDGET_SPENT = "budget spent"
    CAP_REACHED = "cap reached"
    NEED_GONE = "need gone"


@dataclass(frozen=True)
class SessionRow:
    role: str
    workshop_id: int | None
    created_at: datetime


# How a helping team helps, as the raw tables write it (machine data, like the events'
# action names; analytics.who_can_help says it in the reader's language).
_RAW_HOW = {
    "rates": "rates its capability {:.1f}",
    "shares": "shares “{}”",
    "shared": "shared it",
    "does": "does it too",
}
HELP_PAIR_COLUMNS = [
    "kind",
    "about_id",
    "about",
    "learner",
    "helper",
    "how",
    "importance",
    "capability",
    "wanting",
]

_WORKSHOP_COLUMNS = (
    "id, code, title, strategy, phase, dot_budget, per_need_cap, anonymous, hide_results, "
    "revealed, rate_needs, timer_ends_at, created_at, coalesce(projector_dark, false), "
    "coalesce(projector_paused, false), coalesce(lock_after_reveal, false), coalesce(ask_practices, true), "
    "coalesce(show_help_pairs, false), coalesce(checkin_open, false), "
    "coalesce(language, 'en'), coalesce(self_paced, false), coalesce(time_zone, 'UTC'), "
    "coalesce(schedule_paused, false)"
)


@dataclass(frozen=True)
class RoomNeeds:
    """The needs as every participant sees them (one list for the whole room), with whose
    backings and dots each need's counts hold, so that one person's own backing and dots can
    be laid over them exactly however old the list is (see ViewerState.need)."""

    needs: list[Need]
    by_id: dict[int, Need]
    backed_by: dict[int, frozenset[int]]
    dots_by: dict[int, dict[int, int]]

    @cached_property
    def ids(self) -> tuple[int, ...]:
        """The needs' ids, in the list's order (made once per list)."""
        return tuple(self.by_id)

    def counted_for(self, participant_id: int) -> set[int]:
        """The needs whose counts in this list hold the person's backing or dots."""
        return self._counted.get(participant_id, set())

    @cached_property
    def _counted(self) -> dict[int, set[int]]:
        # Made once per list for every person, not a walk through every need per screen.
        counted: dict[int, set[int]] = {}
        for need_id, who in [*self.backed_by.items(), *self.dots_by.items()]:
            for participant_id in who:
                counted.setdefault(participant_id, set()).add(need_id)
        return counted


@dataclass
class ViewerState:
    """What one participant did: laid over the shared lists of statements and needs."""

    participant_id: int
    reactions: dict[int, Reaction]
    backed: set[int]
    dots: dict[int, int]
    ratings: dict[int, tuple[int | None, int | None]]
    statements: set[int]  # their own, as participants see them (not hidden)
    needs: set[int]  # their own, as participants see them (not hidden, not merged)
    marks: set[tuple[int, str]] = field(
        default_factory=set
    )  # (practice id, kind) of their marks on practices

    def statement(self, statement: Statement) -> Statement:
        return replace(statement, my_reaction=self.reactions.get(statement.id))

    def need(self, need: Need, room: RoomNeeds | None = None) -> Need:
        """`need` with this person's backing, dots and rating. From the room's list (`room`),
        its totals count this person's backing and dots as they are now, not as they were
        when the list was computed: what others did may lag, what this person did may not."""
        importance, capability = self.ratings.get(need.id, (None, None))
        backed, mine = need.id in self.backed, self.dots.get(need.id, 0)
        backers, dots = need.backers, need.dots
        if room is not None:
            backers += backed - (self.participant_id in room.backed_by.get(need.id, ()))
            dots += mine - room.dots_by.get(need.id, {}).get(self.participant_id, 0)
        return replace(
            need,
            backers=backers,
            dots=dots,
            i_backed=backed,
            my_dots=mine,
            my_importance=importance,
            my_capability=capability,
        )

    @property
    def dots_used(self) -> int:
        return sum(self.dots.values())

    # How the person's own writes change it (Store._write carries them to the kept state).

    def with_dots(self, need_id: int, step: int) -> ViewerState:
        held = self.dots.get(need_id, 0) + step
        others = {n: k for n, k in self.dots.items() if n != need_id}
        return replace(self, dots=others | ({need_id: held} if held else {}))

    def with_reaction(self, statement_id: int, reaction: Reaction) -> ViewerState:
        return replace(self, reactions=self.reactions | {statement_id: reaction})

    def with_backing(self, need_id: int, backed: bool) -> ViewerState:
        return replace(self, backed=self.backed | {need_id} if backed else self.backed - {need_id})

    def with_rating(self, need_id: int, importance: int | None, capability: int | None) -> ViewerState:
        return replace(self, ratings=self.ratings | {need_id: (importance, capability)})

    def with_mark(self, practice_id: int, kind: str, on: bool) -> ViewerState:
        mark = {(practice_id, kind)}
        return replace(self, marks=self.marks | mark if on else self.marks - mark)

    def with_item(self, table: str, item_id: int) -> ViewerState:
        """With a new statement or need of theirs (`table`: "statements" or "needs")."""
        return replace(self, **{table: getattr(self, table) | {item_id}})


_INSERT_REACTION = "INSERT INTO reactions VALUES (?, ?, ?, ?, ?)"
_UPSERT_REACTION = (
    f"{_INSERT_REACTION} ON CONFLICT (statement_id, participant_id) "
    "DO UPDATE SET kind = excluded.kind, reacted_at = excluded.reacted_at"
)
_INSERT_BACKING = "INSERT INTO backings VALUES (?, ?, ?, ?)"


class StoreCore:
    """The connection, transactions, versions and memory every part of the store works with."""

    def __init__(self, location: str | Path, *, clock: Callable[[], datetime] = utcnow) -> None:
        """Open (or create) the database at `location` and bring its schema up to date.

        Raises StoreUnavailable when the file is held by another process or is not a
        Cocreate database, or when PostgreSQL cannot be reached.
        """
        self._db = open_backend(location)
        self.path: Path | None = self._db.path
        self.location = self._db.location
        self.kind = self._db.kind
        self._clock = clock
        self._versions = self._db.versions
        self._workshops_kept = Kept()  # workshop id -> Workshop, by settings version
        self._by_token = Kept()  # token hash -> Participant
        self._by_code = Kept()  # join code -> workshop id
        self._items = (
            Kept()
        )  # (query, workshop id, item id) -> (author, hidden[, merged into]), by removal version
        self._viewers = OwnStates(carries=self._db.sole_writer)  # (workshop, participant) -> ViewerState
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        with self._db.migration_lock():
            tables = self._db.table_names()
            if tables and "schema_version" not in tables:
                raise StoreUnavailable(self._db.foreign_message())
            with self._db.cursor() as cur:
                cur.execute(SCHEMA_VERSION_TABLE, [])
                (applied,) = cur.execute(
                    "SELECT coalesce(max(version), 0) FROM schema_version", []
                ).fetchall()[0]
                for version, sql_scripts in scripts(self._db.kind, applied):
                    cur.execute("BEGIN", [])
                    try:
                        for sql in sql_scripts:
                            cur.execute(sql)  # a script of several statements, no parameters
                        cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version, self._clock()])
                        cur.execute("COMMIT", [])
                    except BaseException:
                        cur.execute("ROLLBACK", [])
                        raise

    def now(self) -> datetime:
        """The store's clock (UTC, without time zone), as written into every row."""
        return self._clock()

    def schema_version(self) -> int:
        return self._one("SELECT max(version) FROM schema_version")[0]

    def version(self, workshop_id: int) -> int:
        """A number that grows whenever anything in the workshop changes (in any process)."""
        return self._versions.current(workshop_id).data

    def _bump(
        self, workshop_id: int | None, *, removes: bool = False, settings: bool = False, by: int | None = None
    ) -> int:
        # A settings change (phase, reveal) changes what every list shows: none may lag it.
        # Only a write that takes something away changes people's own states (`takes`).
        wid = GLOBAL if workshop_id is None else workshop_id
        return self._versions.bump(wid, removes=removes or settings, settings=settings, takes=removes, by=by)

    def viewer_version(self, workshop_id: int, participant_id: int) -> tuple[int, ...]:
        """Changes whenever `viewer_state` of this participant may have changed: their own
        writes and every write that takes something away (a merge moves dots, a withdrawn
        need gives them back); see backends.Versions.viewer."""
        return self._versions.viewer(workshop_id, participant_id)

    def removal_version(self, workshop_id: int) -> int:
        """The version after the last write that took something away or changed its text
        (hide, merge, edit, withdraw) or changed the workshop's settings (phase, reveal):
        no shared list may be older than this."""
        return self._versions.current(workshop_id).removal

    def _rows(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        with self._db.cursor() as cur:
            return cur.execute(sql, params if isinstance(params, dict) else list(params)).fetchall()

    def _one(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        """The first row (a tuple), or None."""
        with self._db.cursor() as cur:
            return cur.execute(sql, params if isinstance(params, dict) else list(params)).fetchone()

    def read_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read-only DuckDB query with named ($name) parameters; rows as a DataFrame.

        The query sees the workshop `$w` (or the workshops `$ws`); with PostgreSQL it runs on
        the DuckDB mirror of those workshops."""
        params = params or {}
        ids = [params["w"]] if "w" in params else params.get("ws")
        with self._db.analytics(ids) as cur:
            return cur.execute(sql, params).df()

    def _write(
        self,
        workshop_id: int | None,
        work: Callable[[Any], T],
        *,
        settings: bool = False,
        removes: bool = False,
        by: int | None = None,
        change: Callable[[ViewerState, T], ViewerState] | None = None,
    ) -> T:
        """Run `work` in one transaction, retrying when it conflicts with a concurrent write;
        after the commit, move the versions that cover what it changed. `by`: the participant
        whose own state it changed, and `change`: how its result changes that state, carried
        to the kept state (see memory.py).

        `work` may run more than once, so it must only touch the database. Raises Busy when
        the conflicts do not clear.
        """
        if by is None or workshop_id is None:
            return self._transaction(workshop_id, work, settings=settings, removes=removes)
        own = (workshop_id, by)
        with self._viewers.turn(own):
            before = self.viewer_version(*own)
            result = self._transaction(workshop_id, work, settings=settings, removes=removes, by=by)
            carried = None if change is None else lambda state: change(state, result)
            self._viewers.carry(own, before, self.viewer_version(*own), carried)
            return result

    def _transaction(
        self,
        workshop_id: int | None,
        work: Callable[[Any], T],
        *,
        settings: bool,
        removes: bool,
        by: int | None = None,
    ) -> T:
        for attempt in range(RETRIES):
            with self._db.cursor() as cur:
                cur.execute(self._db.begin, [])
                _logged.actions = []
                try:
                    result = work(cur)
                    cur.execute("COMMIT", [])
                except self._db.retryable:
                    self._rollback(cur)
                    metrics.CONFLICTS.inc()
                    time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 10)))
                    continue
                except BaseException:
                    self._rollback(cur)
                    raise
            for action in _logged.actions:  # counted once committed, however often it was tried
                metrics.WRITES.labels(action).inc()
            self._bump(workshop_id, removes=removes, settings=settings, by=by)
            return result
        metrics.RETRIES_EXHAUSTED.inc()
        raise Busy(gettext("Many people are saving at this moment and yours did not go through. Try again."))

    def _rollback(self, cur: Any) -> None:
        with contextlib.suppress(self._db.error):  # the database may have ended the failed transaction
            cur.execute("ROLLBACK", [])

    def _log(
        self,
        cur: Any,
        workshop_id: int | None,
        actor: str,
        action: str,
        *,
        participant_id: int | None = None,
        subject_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        if hasattr(_logged, "actions"):
            _logged.actions.append(action)
        cur.execute(
            "INSERT INTO events VALUES (nextval('event_ids'), ?, ?, ?, ?, ?, ?, ?)",
            [
                workshop_id,
                self._clock(),
                actor,
                participant_id,
                action,
                subject_id,
                json.dumps(detail, ensure_ascii=False) if detail else None,
            ],
        )

    @staticmethod
    def _over_quota(
        cur: Any, table: str, participant: Participant, quota: tuple[int, int], now: datetime
    ) -> tuple[int, int] | None:
        """The participant's (last minute's, whole) count of their rows in `table` when one
        more would pass `quota` (at most per minute, at most in the workshop); None within it."""
        counts = cur.execute(
            f"SELECT count(*) FILTER (WHERE created_at > ?), count(*) FROM {table} "
            "WHERE workshop_id = ? AND participant_id = ?",
            [now - timedelta(minutes=1), participant.workshop_id, participant.id],
        ).fetchone()
        recent, total = int(counts[0]), int(counts[1])
        return (recent, total) if recent >= quota[0] or total >= quota[1] else None

    def _log_by(
        self,
        cur: Any,
        participant: Participant,
        action: str,
        subject_id: int | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._log(
            cur,
            participant.workshop_id,
            "participant",
            action,
            participant_id=participant.id,
            subject_id=subject_id,
            detail=detail,
        )


_NEEDS_SQL = """
WITH b AS (SELECT need_id, count(*) AS n, bool_or(participant_id = $viewer) AS mine,
                  array_agg(participant_id) AS who
           FROM backings WHERE workshop_id = $w GROUP BY need_id),
     d AS (SELECT need_id, count(*) AS n, count(*) FILTER (WHERE participant_id = $viewer) AS mine,
                  array_agg(participant_id) AS who
           FROM dots WHERE workshop_id = $w GROUP BY need_id),
     m AS (SELECT merged_into AS need_id, array_agg(id ORDER BY id) AS ids
           FROM needs WHERE workshop_id = $w AND merged_into IS NOT NULL GROUP BY merged_into),
     r AS (SELECT need_id, importance, capability FROM ratings
           WHERE workshop_id = $w AND participant_id = $viewer)
SELECT n.id, n.theme_id, n.participant_id, p.name, p.team, n.text, n.created_at, n.hidden,
       coalesce(b.n, 0), coalesce(d.n, 0), m.ids,
       coalesce(b.mine, false), coalesce(d.mine, 0), r.importance, r.capability, b.who, d.who
FROM needs n
JOIN participants p ON p.id = n.participant_id
LEFT JOIN b ON b.need_id = n.id
LEFT JOIN d ON d.need_id = n.id
LEFT JOIN m ON m.need_id = n.id
LEFT JOIN r ON r.need_id = n.id
WHERE n.workshop_id = $w AND n.merged_into IS NULL {hidden} {by}
ORDER BY coalesce(d.n, 0) DESC, coalesce(b.n, 0) DESC, n.id
"""


def _tally(ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for i in ids:
        counts[i] = counts.get(i, 0) + 1
    return counts


def _insert_teams(cur: Any, workshop_id: int, teams: tuple[str, ...]) -> None:
    for position, name in enumerate(teams):
        cur.execute("INSERT INTO teams VALUES (?, ?, ?)", [workshop_id, position, name])


def _workshop(
    row: tuple[Any, ...], themes: tuple[Theme, ...], teams: tuple[str, ...], schedule: Schedule
) -> Workshop:
    (
        wid,
        code,
        title,
        strategy,
        phase,
        budget,
        cap,
        anonymous,
        hide,
        revealed,
        rate,
        timer,
        created,
        dark,
        paused,
        locked,
        practices,
        help_pairs,
        checkin,
        language,
        self_paced,
        time_zone,
        schedule_paused,
    ) = row
    return Workshop(
        wid,
        code,
        title,
        strategy,
        Phase(phase),
        budget,
        cap,
        anonymous,
        hide,
        revealed,
        rate,
        timer,
        created,
        themes,
        teams,
        dark,
        paused,
        locked,
        practices,
        help_pairs,
        checkin,
        language,
        self_paced,
        time_zone,
        schedule,
        schedule_paused,
    )


def _insert_schedule(cur: Any, workshop_id: int, schedule: Schedule) -> None:
    """The workshop's schedule, as written (none for a live workshop)."""
    cur.execute("DELETE FROM phase_schedule WHERE workshop_id = ?", [workshop_id])
    for phase, opens_at in schedule:
        cur.execute("INSERT INTO phase_schedule VALUES (?, ?, ?)", [workshop_id, phase.value, opens_at])


def _done_at(status: FollowUpStatus, now: datetime) -> datetime | None:
    return now if status is FollowUpStatus.DONE else None
