"""Every SQL statement that reads or writes workshop data lives here.

One `Store` per process holds one backend (backends.py: a DuckDB file, or PostgreSQL);
every operation runs on its own cursor, and every write is one transaction, retried when
it conflicts with another. Limits that must hold under racing writes (dot budget, per-need
cap, one reaction per statement) are enforced by keys in the schema, not by reading first
and hoping. What the store keeps in memory between reads follows one rule (memory.py).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from workshop import metrics, privacy
from workshop.backends import GLOBAL, open_backend, sql_path
from workshop.errors import Busy, StoreUnavailable, WorkshopNotFound
from workshop.i18n import gettext
from workshop.memory import Kept, OwnStates
from workshop.migrations import SCHEMA_VERSION_TABLE, scripts
from workshop.model import (
    FollowUp,
    FollowUpStatus,
    Need,
    Participant,
    Phase,
    Practice,
    PracticeReaction,
    Reaction,
    Schedule,
    Statement,
    Theme,
    Workshop,
    WorkshopDraft,
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


# Who can help whom (Store.help_pairs), on the 1–5 scales of the ratings: a team's mean.
IMPORTANT = 4.0  # a need this important to a team …
WEAK = 2.5  # … whose capability is at most this, the team would learn
STRONG = 4.0  # a team rating its capability at least this can help
MIN_RATERS = 2  # a team's mean counts from this many of its people
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


class Store:
    """The Cocreate database, its schema, and named reads and writes.

    `location` is a DuckDB file path (the default) or a postgresql:// URL; see backends.py.
    """

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

    # -- infrastructure ---------------------------------------------------------------

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

    # -- workshops ----------------------------------------------------------------------

    def create_workshop(
        self,
        draft: WorkshopDraft,
        *,
        new_code: Callable[[], str],
        key_hash: str,
        presenter_token_hash: str,
        session_token_hash: str,
    ) -> Workshop:
        """Store a new workshop with its themes; a colliding join code is drawn again."""

        def work(cur: Any) -> int:
            now = self._clock()
            code = new_code()
            while cur.execute("SELECT 1 FROM workshops WHERE code = ?", [code]).fetchone():
                code = new_code()
            wid = cur.execute("SELECT nextval('workshop_ids')").fetchone()[0]
            cur.execute(
                "INSERT INTO workshops VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, NULL, ?, ?, ?, ?, false, ?, ?, ?, false, ?, ?, ?, false, NULL)",
                [
                    wid,
                    code,
                    draft.title,
                    draft.strategy,
                    Phase.LOBBY.value,
                    draft.dot_budget,
                    draft.per_need_cap,
                    draft.anonymous,
                    draft.hide_results,
                    draft.rate_needs,
                    key_hash,
                    presenter_token_hash,
                    now,
                    draft.projector_dark,
                    draft.lock_after_reveal,
                    draft.ask_practices,
                    draft.show_help_pairs,
                    draft.language,
                    draft.self_paced,
                    draft.time_zone,
                ],
            )
            for position, theme in enumerate(draft.themes):
                cur.execute(
                    "INSERT INTO themes VALUES (nextval('theme_ids'), ?, ?, ?, ?)",
                    [wid, position, theme.title, theme.prompt],
                )
            _insert_teams(cur, wid, draft.teams)
            _insert_schedule(cur, wid, draft.schedule)
            cur.execute(
                "INSERT INTO sessions VALUES (?, 'facilitator', ?, ?)",
                [session_token_hash, wid, now],
            )
            self._log(cur, wid, "facilitator", "create_workshop", subject_id=wid)
            return wid

        wid = self._write(None, work)
        self._bump(wid, settings=True)
        return self.existing_workshop(wid)

    def update_workshop(self, workshop_id: int, draft: WorkshopDraft) -> list[str]:
        """Replace a workshop's texts, settings and themes (theme ids kept by position).

        A theme that would be removed but already holds statements or needs is kept; the
        titles of those kept themes are returned (nothing is written then).
        """

        def work(cur: Any) -> list[str]:
            existing = cur.execute(
                "SELECT id, title FROM themes WHERE workshop_id = ? ORDER BY position", [workshop_id]
            ).fetchall()
            removed = existing[len(draft.themes) :]
            in_use = [
                title
                for theme_id, title in removed
                if cur.execute(
                    "SELECT 1 FROM statements WHERE theme_id = $t UNION ALL SELECT 1 FROM needs WHERE theme_id = $t",
                    {"t": theme_id},
                ).fetchone()
            ]
            if in_use:
                return in_use
            cur.execute(
                "UPDATE workshops SET title = ?, strategy = ?, dot_budget = ?, per_need_cap = ?, anonymous = ?, "
                "hide_results = ?, rate_needs = ?, projector_dark = ?, lock_after_reveal = ?, ask_practices = ?, "
                "show_help_pairs = ?, language = ?, self_paced = ?, time_zone = ? WHERE id = ?",
                [
                    draft.title,
                    draft.strategy,
                    draft.dot_budget,
                    draft.per_need_cap,
                    draft.anonymous,
                    draft.hide_results,
                    draft.rate_needs,
                    draft.projector_dark,
                    draft.lock_after_reveal,
                    draft.ask_practices,
                    draft.show_help_pairs,
                    draft.language,
                    draft.self_paced,
                    draft.time_zone,
                    workshop_id,
                ],
            )
            _insert_schedule(cur, workshop_id, draft.schedule)
            for position, theme in enumerate(draft.themes):
                if position < len(existing):
                    cur.execute(
                        "UPDATE themes SET title = ?, prompt = ? WHERE id = ?",
                        [theme.title, theme.prompt, existing[position][0]],
                    )
                else:
                    cur.execute(
                        "INSERT INTO themes VALUES (nextval('theme_ids'), ?, ?, ?, ?)",
                        [workshop_id, position, theme.title, theme.prompt],
                    )
            for theme_id, _ in removed:
                cur.execute("DELETE FROM themes WHERE id = ?", [theme_id])
            cur.execute("DELETE FROM teams WHERE workshop_id = ?", [workshop_id])
            _insert_teams(cur, workshop_id, draft.teams)
            self._log(cur, workshop_id, "facilitator", "edit_workshop")
            return []

        return self._write(workshop_id, work, settings=True, removes=True)  # a theme may go

    def _workshops(self, where: str, params: Iterable[Any]) -> list[Workshop]:
        rows = self._rows(
            f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE {where} ORDER BY created_at DESC, id DESC",
            params,
        )
        if not rows:
            return []
        ids = [r[0] for r in rows]
        themes: dict[int, list[Theme]] = {i: [] for i in ids}
        for wid, tid, position, title, prompt in self._rows(
            "SELECT workshop_id, id, position, title, prompt FROM themes "
            f"WHERE workshop_id IN ({', '.join('?' * len(ids))}) ORDER BY position",
            ids,
        ):
            themes[wid].append(Theme(tid, position, title, prompt))
        teams: dict[int, list[str]] = {i: [] for i in ids}
        for wid, name in self._rows(
            f"SELECT workshop_id, name FROM teams WHERE workshop_id IN ({', '.join('?' * len(ids))}) "
            "ORDER BY position",
            ids,
        ):
            teams[wid].append(name)
        schedules: dict[int, list[tuple[Phase, datetime]]] = {i: [] for i in ids}
        for wid, phase, opens_at in self._rows(
            f"SELECT workshop_id, phase, opens_at FROM phase_schedule WHERE workshop_id IN ({', '.join('?' * len(ids))}) "
            "ORDER BY opens_at",
            ids,
        ):
            schedules[wid].append((Phase(phase), opens_at))
        return [
            _workshop(
                r,
                tuple(themes[r[0]]),
                tuple(teams[r[0]]),
                tuple(sorted(schedules[r[0]], key=lambda opening: opening[0].index)),
            )
            for r in rows
        ]

    def workshop(self, workshop_id: int) -> Workshop | None:
        """The workshop's row and themes (kept in memory by settings version)."""
        setting = self._versions.current(workshop_id).settings

        def read() -> Workshop | None:
            found = self._workshops("id = ?", [workshop_id])
            return found[0] if found else None

        return self._workshops_kept.get(workshop_id, setting, read)

    def existing_workshop(self, workshop_id: int) -> Workshop:
        """The workshop, which exists (raises WorkshopNotFound when it no longer does)."""
        found = self.workshop(workshop_id)
        if found is None:
            raise WorkshopNotFound(gettext("This workshop no longer exists."))
        return found

    def workshop_by_code(self, code: str) -> Workshop | None:
        """The workshop with this join code (the code's workshop id is kept in memory)."""

        def read() -> int | None:
            found = self._workshops("code = ?", [code])
            return found[0].id if found else None

        workshop_id = self._by_code.get(code, 0, read)
        return None if workshop_id is None else self.workshop(workshop_id)

    def workshop_by_presenter_token(self, token_hash: str) -> Workshop | None:
        found = self._workshops("presenter_token_hash = ?", [token_hash])
        return found[0] if found else None

    def all_workshops(self) -> list[Workshop]:
        return self._workshops("true", [])

    def facilitator_key_hash(self, workshop_id: int) -> str | None:
        row = self._one("SELECT facilitator_key_hash FROM workshops WHERE id = ?", [workshop_id])
        return row[0] if row else None

    def set_presenter_token(self, workshop_id: int, token_hash: str) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET presenter_token_hash = ? WHERE id = ?",
                [token_hash, workshop_id],
            )
            self._log(cur, workshop_id, "facilitator", "new_presenter_link")

        self._write(workshop_id, work, settings=True)

    def set_phase(
        self,
        workshop_id: int,
        from_phase: Phase,
        to_phase: Phase,
        *,
        reveal: bool,
        by: str = "facilitator",
        posts: Sequence[tuple[str, str]] = (),
    ) -> bool:
        """Move the workshop from `from_phase` to `to_phase`, a move made `by` the facilitator
        (or an organisation session) or the schedule; False if it was no longer in
        `from_phase` (another click, or another process's schedule, moved it first). The
        `posts` to the workshop's chat (kind, text) are queued with the move, one each."""

        def work(cur: Any) -> bool:
            changed = cur.execute(
                "UPDATE workshops SET phase = ?, timer_ends_at = NULL, revealed = revealed OR ? "
                "WHERE id = ? AND phase = ? RETURNING id",
                [to_phase.value, reveal, workshop_id, from_phase.value],
            ).fetchall()
            if not changed:
                return False
            (change_id,) = cur.execute(
                "INSERT INTO phase_changes VALUES (nextval('phase_change_ids'), ?, ?, ?, ?, ?) RETURNING id",
                [workshop_id, from_phase.value, to_phase.value, self._clock(), by],
            ).fetchone()
            for kind, body in posts:
                self._queue_post(cur, workshop_id, f"{kind}:{change_id}", body)
            self._log(
                cur,
                workshop_id,
                by,
                "set_phase",
                detail={"from": from_phase.value, "to": to_phase.value},
            )
            return True

        return self._write(workshop_id, work, settings=True)

    def set_schedule(self, workshop_id: int, self_paced: bool, time_zone: str, schedule: Schedule) -> None:
        """Make the workshop live or self-paced, and when its phases open."""

        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET self_paced = ?, time_zone = ? WHERE id = ?",
                [self_paced, time_zone, workshop_id],
            )
            _insert_schedule(cur, workshop_id, schedule)
            detail = {"self_paced": self_paced, "time_zone": time_zone}
            detail |= {phase.value: at.isoformat() for phase, at in schedule}
            self._log(cur, workshop_id, "facilitator", "set_schedule", detail=detail)

        self._write(workshop_id, work, settings=True)

    def set_schedule_paused(self, workshop_id: int, paused: bool) -> None:
        self._set_switch(
            workshop_id, "schedule_paused", paused, "pause_schedule" if paused else "resume_schedule"
        )

    # -- the workshop's chat: its webhook and the posts queued for it ------------------

    def set_webhook(self, workshop_id: int, url: str | None) -> None:
        """The chat's incoming-webhook address the workshop posts to (None: no posts)."""

        def work(cur: Any) -> None:
            cur.execute("UPDATE workshops SET webhook_url = ? WHERE id = ?", [url, workshop_id])
            self._log(cur, workshop_id, "facilitator", "set_webhook" if url else "remove_webhook")

        self._write(workshop_id, work, settings=True)

    def webhook(self, workshop_id: int) -> str | None:
        row = self._one("SELECT webhook_url FROM workshops WHERE id = ?", [workshop_id])
        return row[0] if row else None

    def _queue_post(self, cur: Any, workshop_id: int, what: str, body: str) -> bool:
        """Queue a post to the workshop's chat, once per `what`, when it has a webhook."""
        now = self._clock()
        made = cur.execute(
            "INSERT INTO announcements (id, workshop_id, what, body, made_at, attempts, next_try_at) "
            "SELECT nextval('announcement_ids'), id, ?, ?, ?, 0, ? FROM workshops "
            "WHERE id = ? AND webhook_url IS NOT NULL ON CONFLICT DO NOTHING RETURNING id",
            [what, body, now, now, workshop_id],
        ).fetchall()
        return bool(made)

    def queue_post(self, workshop_id: int, what: str, body: str) -> bool:
        """Queue a post (a reminder) once per `what`; False when it was queued before, or the
        workshop has no webhook."""
        return self._write(workshop_id, lambda cur: self._queue_post(cur, workshop_id, what, body))

    def posts_due(self, limit: int = 20) -> list[tuple[int, int, str, str, int]]:
        """Posts to send now: id, workshop id, webhook address, text, attempts so far."""
        return self._rows(
            "SELECT a.id, a.workshop_id, w.webhook_url, a.body, a.attempts FROM announcements a "
            "JOIN workshops w ON w.id = a.workshop_id "
            "WHERE a.sent_at IS NULL AND a.next_try_at <= ? AND w.webhook_url IS NOT NULL "
            "ORDER BY a.next_try_at, a.id LIMIT ?",
            [self._clock(), limit],
        )

    def claim_post(self, post_id: int, attempts: int, lease: timedelta) -> bool:
        """Take a post to send for `lease` (no other process sends it meanwhile); False when
        another process took it first."""

        def work(cur: Any) -> bool:
            now = self._clock()
            return bool(
                cur.execute(
                    "UPDATE announcements SET next_try_at = ? "
                    "WHERE id = ? AND attempts = ? AND sent_at IS NULL AND next_try_at <= ? RETURNING id",
                    [now + lease, post_id, attempts, now],
                ).fetchall()
            )

        return self._write(None, work)

    def post_sent(self, post_id: int) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE announcements SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                [self._clock(), post_id],
            )

        self._write(None, work)

    def post_failed(self, post_id: int, error: str, retry_in: timedelta | None) -> None:
        """A post the chat refused or did not answer: tried again after `retry_in` (None:
        given up; it stays failed on Facilitate)."""

        def work(cur: Any) -> None:
            now = self._clock()
            cur.execute(
                "UPDATE announcements SET attempts = attempts + 1, last_error = ?, next_try_at = ? WHERE id = ?",
                [error, now + retry_in if retry_in is not None else datetime(9999, 1, 1), post_id],
            )

        self._write(None, work)

    def posts(self, workshop_id: int) -> list[tuple[str, str, datetime, int, datetime | None, str | None]]:
        """The workshop's posts, newest first: kind, text, made, attempts, sent, last error."""
        return self._rows(
            "SELECT what, body, made_at, attempts, sent_at, last_error FROM announcements "
            "WHERE workshop_id = ? ORDER BY id DESC",
            [workshop_id],
        )

    def scheduled_workshops(self) -> list[tuple[Workshop, datetime | None]]:
        """The workshops the schedule moves now (self-paced, not paused, not closed), each with
        when the room last moved (None: it never did)."""
        found = self._workshops(
            "coalesce(self_paced, false) AND NOT coalesce(schedule_paused, false) AND phase <> 'closed'", []
        )
        if not found:
            return []
        ids = [w.id for w in found]
        moved = dict(
            self._rows(
                f"SELECT workshop_id, max(changed_at) FROM phase_changes WHERE workshop_id IN ({', '.join('?' * len(ids))}) "
                "GROUP BY workshop_id",
                ids,
            )
        )
        return [(w, moved.get(w.id)) for w in found]

    def phase_moves(self, workshop_id: int) -> list[tuple[Phase, Phase, datetime, str]]:
        """Every move of the room: from, to, when (UTC) and who made it (facilitator,
        organisation or schedule)."""
        return [
            (Phase(a), Phase(b), at, by or "facilitator")
            for a, b, at, by in self._rows(
                "SELECT from_phase, to_phase, changed_at, moved_by FROM phase_changes WHERE workshop_id = ? ORDER BY id",
                [workshop_id],
            )
        ]

    def set_timer(self, workshop_id: int, ends_at: datetime | None) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET timer_ends_at = ? WHERE id = ?",
                [ends_at, workshop_id],
            )
            self._log(
                cur,
                workshop_id,
                "facilitator",
                "set_timer",
                detail={"ends_at": ends_at.isoformat() if ends_at else None},
            )

        self._write(workshop_id, work, settings=True)

    def _set_switch(self, workshop_id: int, column: str, on: bool, action: str) -> None:
        """Turn one of the workshop's switches (the projector's, the check-in) on or off,
        logged as `action`."""

        def work(cur: Any) -> None:
            cur.execute(f"UPDATE workshops SET {column} = ? WHERE id = ?", [on, workshop_id])
            self._log(cur, workshop_id, "facilitator", action)

        self._write(workshop_id, work, settings=True)

    def set_projector_paused(self, workshop_id: int, paused: bool) -> None:
        self._set_switch(
            workshop_id, "projector_paused", paused, "pause_projector" if paused else "turn_projector"
        )

    def set_projector_dark(self, workshop_id: int, dark: bool) -> None:
        self._set_switch(workshop_id, "projector_dark", dark, "dark_projector" if dark else "light_projector")

    def set_checkin_open(self, workshop_id: int, open_: bool) -> None:
        self._set_switch(workshop_id, "checkin_open", open_, "open_checkin" if open_ else "close_checkin")

    def check_in(self, participant: Participant, need_id: int, capability: int) -> None:
        """A person's rating of their team's capability on a need, again (the check-in)."""

        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO checkins VALUES (?, ?, ?, ?, ?) ON CONFLICT (need_id, participant_id) "
                "DO UPDATE SET capability = excluded.capability, checked_at = excluded.checked_at",
                [need_id, participant.id, participant.workshop_id, capability, self._clock()],
            )
            self._log_by(cur, participant, "check_in", need_id, {"capability": capability})

        self._write(participant.workshop_id, work)

    def checked_in(self, workshop_id: int, participant_id: int) -> dict[int, int]:
        """The person's check-in ratings: need id -> capability."""
        return dict(
            self._rows(
                "SELECT need_id, capability FROM checkins WHERE workshop_id = ? AND participant_id = ?",
                [workshop_id, participant_id],
            )
        )

    def set_help_pairs_shown(self, workshop_id: int, shown: bool) -> None:
        self._set_switch(
            workshop_id, "show_help_pairs", shown, "show_help_pairs" if shown else "hide_help_pairs"
        )

    def set_revealed(self, workshop_id: int, revealed: bool) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "UPDATE workshops SET revealed = ? WHERE id = ?",
                [revealed, workshop_id],
            )
            self._log(cur, workshop_id, "facilitator", "reveal" if revealed else "conceal")

        self._write(workshop_id, work, settings=True)

    # -- facilitator and organisation sessions ------------------------------------------

    def add_session(self, token_hash: str, role: str, workshop_id: int | None) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                [token_hash, role, workshop_id, self._clock()],
            )
            self._log(cur, workshop_id, role, "open_session")

        self._write(workshop_id, work)

    def session(self, token_hash: str) -> SessionRow | None:
        row = self._one(
            "SELECT role, workshop_id, created_at FROM sessions WHERE token_hash = ?",
            [token_hash],
        )
        return SessionRow(*row) if row else None

    def session_workshops(self, token_hash: str) -> tuple[int, ...]:
        """The workshops a facilitator session added for Review, in the order added."""
        return tuple(
            r[0]
            for r in self._rows(
                "SELECT workshop_id FROM session_workshops WHERE token_hash = ? ORDER BY added_at, workshop_id",
                [token_hash],
            )
        )

    def add_session_workshop(self, token_hash: str, workshop_id: int) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO session_workshops VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [token_hash, workshop_id, self._clock()],
            )
            self._log(cur, workshop_id, "facilitator", "review_with_another_key")

        self._write(None, work)

    # -- participants ---------------------------------------------------------------------

    def add_participant(
        self, workshop_id: int, token_hash: str, name: str | None, team: str | None
    ) -> Participant:
        """A new participant. A team is stored in the one spelling the workshop knows it by:
        the facilitator's list's, else its first member's, whatever the case typed. Their next
        page runs find them, and find that they did nothing yet, without reading either back:
        at a room's first move every tab of people who joined in the Lobby would otherwise
        read both at once."""
        joined_at = self._clock()
        spelt: list[str | None] = [team]

        def work(cur: Any) -> int:
            if team is not None:
                known = (
                    cur.execute(
                        "SELECT name FROM teams WHERE workshop_id = $w AND lower(name) = lower($t)",
                        {"w": workshop_id, "t": team},
                    ).fetchone()
                    or cur.execute(
                        "SELECT team FROM participants WHERE workshop_id = $w AND lower(team) = lower($t) "
                        "ORDER BY id LIMIT 1",
                        {"w": workshop_id, "t": team},
                    ).fetchone()
                )
                spelt[0] = known[0] if known else team
            pid = cur.execute("SELECT nextval('participant_ids')").fetchone()[0]
            cur.execute(
                "INSERT INTO participants (id, workshop_id, token_hash, name, team, joined_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [pid, workshop_id, token_hash, name, spelt[0], joined_at],
            )
            self._log(
                cur,
                workshop_id,
                "participant",
                "join",
                participant_id=pid,
                subject_id=pid,
            )
            return pid

        pid = self._write(workshop_id, work)
        participant = Participant(pid, workshop_id, name, spelt[0], joined_at)
        self._by_token.put(token_hash, self._versions.people(workshop_id), participant)
        # Nobody else holds their link yet: nothing of theirs can be written meanwhile.
        version = self.viewer_version(workshop_id, pid)
        self._viewers.put((workshop_id, pid), version, ViewerState(pid, {}, set(), {}, {}, set(), set()))
        return participant

    def _participant(self, column: str, value: object) -> Participant | None:
        row = self._one(
            f"SELECT id, workshop_id, name, team, joined_at FROM participants WHERE {column} = ? AND NOT removed",
            [value],
        )
        return Participant(*row) if row else None

    def participant(self, participant_id: int) -> Participant | None:
        """The participant, unless there is none or the facilitator removed them."""
        return self._participant("id", participant_id)

    def participant_by_token(self, token_hash: str) -> Participant | None:
        """The participant whose link's token has this hash, unless the facilitator removed
        them. Kept in memory until the workshop's people version moves (a removal moves it,
        in this process or, with PostgreSQL, in another)."""
        kept = self._by_token.peek(token_hash)
        if kept is not None:
            version, participant = kept
            if version == self._versions.people(participant.workshop_id):
                return participant
            read_at = self._versions.people(participant.workshop_id)
            participant = self._participant("token_hash", token_hash)
        else:
            participant = self._participant("token_hash", token_hash)
            if participant is None:
                return None
            read_at = self._versions.people(participant.workshop_id)
            # A removal committed between the read and the version: read once more.
            participant = self._participant("token_hash", token_hash)
        if participant is not None:
            self._by_token.put(token_hash, read_at, participant)
        return participant

    def settings_version(self, workshop_id: int) -> int:
        """A number that grows whenever the workshop's settings change (phase, reveal, timer,
        a participant removed), in any process."""
        return self._versions.current(workshop_id).settings

    def people_seen(self, workshop_id: int) -> int:
        """A number that moves whenever a participant of the workshop may have been removed,
        as this process last saw it, without reading the database (a move of the room, with
        a DuckDB file, leaves it alone)."""
        return self._versions.people(workshop_id, seen=True)

    def removed_participants(self, workshop_id: int) -> set[int]:
        """The ids of the workshop's participants the facilitator removed."""
        return {
            r[0]
            for r in self._rows(
                "SELECT id FROM participants WHERE workshop_id = ? AND removed", [workshop_id]
            )
        }

    def was_removed(self, token_hash: str) -> bool:
        """Whether the link with this token's hash belonged to a participant the facilitator removed."""
        return (
            self._one("SELECT 1 FROM participants WHERE token_hash = ? AND removed", [token_hash]) is not None
        )

    def remove_participant(self, workshop_id: int, participant_id: int) -> dict[str, int] | None:
        """Take a participant out of the workshop: their link opens nothing from now on,
        their statements, needs and practices are hidden (dots on those needs go back to their
        owners), and their dots, backings, reactions, ratings and marks on practices are
        deleted. None when there is no
        such participant in the workshop, or they were removed already."""

        def work(cur: Any) -> dict[str, int] | None:
            done = cur.execute(
                "UPDATE participants SET removed = true WHERE id = ? AND workshop_id = ? AND NOT removed "
                "RETURNING id",
                [participant_id, workshop_id],
            ).fetchall()
            if not done:
                return None
            mine = [workshop_id, participant_id]
            statements = cur.execute(
                "UPDATE statements SET hidden = true WHERE workshop_id = ? AND participant_id = ? AND NOT hidden "
                "RETURNING id",
                mine,
            ).fetchall()
            needs = [
                r[0]
                for r in cur.execute(
                    "UPDATE needs SET hidden = true WHERE workshop_id = ? AND participant_id = ? AND NOT hidden "
                    "AND merged_into IS NULL RETURNING id",
                    mine,
                ).fetchall()
            ]
            returned = 0
            for need_id in needs:
                returned += len(
                    cur.execute("DELETE FROM dots WHERE need_id = ? RETURNING slot", [need_id]).fetchall()
                )
            practices = cur.execute(
                "UPDATE practices SET hidden = true WHERE workshop_id = ? AND participant_id = ? AND NOT hidden "
                "RETURNING id",
                mine,
            ).fetchall()
            stories = cur.execute(
                "UPDATE practice_stories SET hidden = true WHERE workshop_id = ? AND participant_id = ? "
                "AND NOT hidden RETURNING id",
                mine,
            ).fetchall()
            result = {
                "statements": len(statements),
                "needs": len(needs),
                "practices": len(practices),
                "stories": len(stories),
                "dots_returned": returned,
            }
            for table in ("dots", "backings", "reactions", "ratings", "practice_reactions"):
                result[table] = len(
                    cur.execute(
                        f"DELETE FROM {table} WHERE workshop_id = ? AND participant_id = ? RETURNING participant_id",
                        mine,
                    ).fetchall()
                )
            self._log(
                cur,
                workshop_id,
                "facilitator",
                "remove_participant",
                subject_id=participant_id,
                detail=result,
            )
            return result

        # A settings change: every kept participant of the workshop is looked up again; and
        # what they wrote is hidden, which others' own states may hold.
        return self._write(workshop_id, work, settings=True, removes=True)

    # -- statements -----------------------------------------------------------------------

    def _add_item(
        self,
        table: str,
        sequence: str,
        action: str,
        participant: Participant,
        theme_id: int,
        text: str,
        quota: tuple[int, int],
        practices: Sequence[int] = (),
        cites: Sequence[int] = (),
    ) -> int | tuple[int, int]:
        """Insert a participant's statement or need (both tables start with the same
        columns); its id. Within `quota` (at most per minute, at most in the workshop) only:
        else nothing is written and the person's (last minute's, whole) counts come back.
        A need may point to `practices` from the start ("learn from this") and cite the
        statements it came from (`cites`), in the same transaction."""

        def work(cur: Any) -> int | tuple[int, int]:
            now = self._clock()
            counts = cur.execute(
                f"SELECT count(*) FILTER (WHERE created_at > ?), count(*) FROM {table} "
                "WHERE workshop_id = ? AND participant_id = ?",
                [now - timedelta(minutes=1), participant.workshop_id, participant.id],
            ).fetchone()
            recent, total = int(counts[0]), int(counts[1])
            if recent >= quota[0] or total >= quota[1]:
                return recent, total
            (item_id,) = cur.execute(
                f"INSERT INTO {table} (id, workshop_id, theme_id, participant_id, text, created_at, updated_at) "
                f"VALUES (nextval('{sequence}'), ?, ?, ?, ?, ?, ?) RETURNING id",
                [participant.workshop_id, theme_id, participant.id, text, now, now],
            ).fetchone()
            self._log_by(cur, participant, action, item_id)
            for practice_id in practices:
                cur.execute(
                    "INSERT INTO need_practices VALUES (?, ?, ?, 'participant', ?) ON CONFLICT DO NOTHING",
                    [item_id, practice_id, participant.workshop_id, now],
                )
                self._log_by(cur, participant, "link_practice", item_id)
            for statement_id in cites:
                cur.execute(
                    "INSERT INTO need_statements VALUES (?, ?, ?, 'participant', ?) ON CONFLICT DO NOTHING",
                    [item_id, statement_id, participant.workshop_id, now],
                )
                self._log_by(cur, participant, "cite_statement", item_id, {"statement": statement_id})
            return item_id

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, i: state.with_item(table, i) if isinstance(i, int) else state,
        )

    def _change_own(
        self,
        participant: Participant,
        action: str,
        item_id: int,
        sql: str,
        params: list[Any],
        then: tuple[str, ...] = (),
    ) -> bool:
        """Run `sql`, an UPDATE or DELETE ... RETURNING limited to the participant's own item.

        When it touched the item, run the statements `then` (each taking the item id) and log
        the action, all in the same transaction. False when there was no such item.
        """

        def work(cur: Any) -> bool:
            if not cur.execute(sql, params).fetchall():
                return False
            for follow_up in then:
                cur.execute(follow_up, [item_id])
            self._log_by(cur, participant, action, item_id)
            return True

        return self._write(participant.workshop_id, work, removes=True, by=participant.id)

    def add_statement(
        self, participant: Participant, theme_id: int, text: str, quota: tuple[int, int]
    ) -> int | tuple[int, int]:
        return self._add_item("statements", "statement_ids", "share", participant, theme_id, text, quota)

    def edit_statement(self, participant: Participant, statement_id: int, text: str) -> bool:
        """Replace the text of the participant's own statement; False if there is none."""
        return self._change_own(
            participant,
            "edit_statement",
            statement_id,
            "UPDATE statements SET text = ?, updated_at = ? WHERE id = ? AND participant_id = ? RETURNING id",
            [text, self._clock(), statement_id, participant.id],
        )

    def withdraw_statement(self, participant: Participant, statement_id: int) -> bool:
        """Delete the participant's own statement with the reactions to it."""
        return self._change_own(
            participant,
            "withdraw_statement",
            statement_id,
            "DELETE FROM statements WHERE id = ? AND participant_id = ? RETURNING id",
            [statement_id, participant.id],
            then=("DELETE FROM reactions WHERE statement_id = ?",),
        )

    def set_reaction(self, participant: Participant, statement_id: int, reaction: Reaction) -> None:
        tries = itertools.count()

        def work(cur: Any) -> None:
            # Most answers are a person's first to a statement: a plain insert costs half of
            # an upsert. When one was there already, the insert's conflict makes the write
            # try again, as an upsert.
            cur.execute(
                _INSERT_REACTION if next(tries) == 0 else _UPSERT_REACTION,
                [
                    statement_id,
                    participant.id,
                    participant.workshop_id,
                    reaction.value,
                    self._clock(),
                ],
            )
            self._log_by(cur, participant, "react", statement_id, detail={"kind": reaction.value})

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_reaction(statement_id, reaction),
        )

    def statement_owner(self, workshop_id: int, statement_id: int) -> tuple[int, bool] | None:
        """(author id, hidden) of a statement in this workshop, or None."""
        return self._item_state(
            "SELECT participant_id, hidden FROM statements WHERE id = ? AND workshop_id = ?",
            workshop_id,
            statement_id,
        )

    def statements(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False, by: int | None = None
    ) -> list[Statement]:
        """The workshop's statements, oldest first; with `by`, only that participant's."""
        rows = self._rows(
            f"""
            SELECT s.id, s.theme_id, s.participant_id, p.name, p.team, s.text, s.created_at, s.hidden,
                   count(*) FILTER (WHERE r.kind = 'agree'),
                   count(*) FILTER (WHERE r.kind = 'disagree'),
                   count(*) FILTER (WHERE r.kind = 'pass'),
                   max(r.kind) FILTER (WHERE r.participant_id = ?)
            FROM statements s
            JOIN participants p ON p.id = s.participant_id
            LEFT JOIN reactions r ON r.statement_id = s.id
            WHERE s.workshop_id = ? {"" if include_hidden else "AND NOT s.hidden"}
                  {"" if by is None else "AND s.participant_id = ?"}
            GROUP BY s.id, s.theme_id, s.participant_id, p.name, p.team, s.text, s.created_at, s.hidden
            ORDER BY s.created_at, s.id
            """,
            [viewer_id, workshop_id] + ([] if by is None else [by]),
        )
        return [Statement(*r[:11], my_reaction=Reaction(r[11]) if r[11] else None) for r in rows]  # type: ignore[misc]  # a row's length is not typed

    def own_statements(self, workshop_id: int, participant_id: int) -> list[tuple[int, int, str]]:
        """A participant's statements as their share board lists them: (id, theme id, text),
        oldest first. Without the room's reactions, which `statements` counts for every one."""
        return [
            (int(r[0]), int(r[1]), r[2])
            for r in self._rows(
                """
                SELECT id, theme_id, text FROM statements
                WHERE workshop_id = ? AND participant_id = ? AND NOT hidden
                ORDER BY created_at, id
                """,
                [workshop_id, participant_id],
            )
        ]

    def own_needs(self, workshop_id: int, participant_id: int) -> list[tuple[int, int, str, int]]:
        """A participant's needs as their propose board lists them: (id, theme id, text,
        backers), oldest first; one merged into another is listed under that one only. Without
        the room's dots and ratings, which `needs` gathers for every need."""
        return [
            (int(r[0]), int(r[1]), r[2], int(r[3]))
            for r in self._rows(
                """
                SELECT n.id, n.theme_id, n.text, count(b.need_id)
                FROM needs n LEFT JOIN backings b ON b.need_id = n.id
                WHERE n.workshop_id = ? AND n.participant_id = ? AND NOT n.hidden AND n.merged_into IS NULL
                GROUP BY n.id, n.theme_id, n.text
                ORDER BY n.id
                """,
                [workshop_id, participant_id],
            )
        ]

    def answering_team_sizes(self, workshop_id: int) -> dict[str, int]:
        """How many people of each team answered anything in the workshop (wrote, reacted,
        proposed, backed, voted, rated, shared or marked a practice, checked in): what the
        privacy threshold counts (privacy.groups)."""
        rows = self._rows(
            f"""
            SELECT p.team, count(*) FROM participants p
            WHERE p.workshop_id = $w AND p.team IS NOT NULL AND NOT p.removed
              AND p.id IN ({privacy.answered_anything()})
            GROUP BY p.team""",
            {"w": workshop_id},
        )
        return {team: int(n) for team, n in rows}

    def visible_counts(self, workshop_id: int) -> dict[str, int]:
        """How many statements and needs participants can see now, how many people joined,
        and how many items the facilitator took away (hidden or merged): a change of that
        number is a change of what every screen shows."""
        row = self._one(
            """
            SELECT (SELECT count(*) FROM statements WHERE workshop_id = $w AND NOT hidden),
                   (SELECT count(*) FROM needs WHERE workshop_id = $w AND NOT hidden AND merged_into IS NULL),
                   (SELECT count(*) FROM participants WHERE workshop_id = $w AND NOT removed),
                   (SELECT count(*) FROM statements WHERE workshop_id = $w AND hidden)
                   + (SELECT count(*) FROM needs WHERE workshop_id = $w AND (hidden OR merged_into IS NOT NULL)),
                   (SELECT count(*) FROM practices
                    WHERE NOT hidden AND NOT archived AND merged_into IS NULL
                      AND (workshop_id = $w
                           OR id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = $w)))
            """,
            {"w": workshop_id},
        )
        return dict(
            zip(("statements", "needs", "joined", "moderated", "practices"), map(int, row), strict=True)
        )

    # -- needs ----------------------------------------------------------------------------

    def add_need(
        self,
        participant: Participant,
        theme_id: int,
        text: str,
        quota: tuple[int, int],
        practices: Sequence[int] = (),
        cites: Sequence[int] = (),
    ) -> int | tuple[int, int]:
        return self._add_item(
            "needs", "need_ids", "propose", participant, theme_id, text, quota, practices, cites
        )

    def edit_need(self, participant: Participant, need_id: int, text: str, theme_id: int) -> bool:
        return self._change_own(
            participant,
            "edit_need",
            need_id,
            "UPDATE needs SET text = ?, theme_id = ?, updated_at = ? "
            "WHERE id = ? AND participant_id = ? AND merged_into IS NULL RETURNING id",
            [text, theme_id, self._clock(), need_id, participant.id],
        )

    def withdraw_need(self, participant: Participant, need_id: int) -> bool:
        """Delete the participant's own need with its backings, dots and ratings.

        Needs merged into it go with it: their backers now stand behind its text.
        """
        return self._change_own(
            participant,
            "withdraw_need",
            need_id,
            "DELETE FROM needs WHERE id = ? AND participant_id = ? AND merged_into IS NULL RETURNING id",
            [need_id, participant.id],
            then=tuple(
                f"DELETE FROM {table} WHERE {column} = ?"
                for table, column in [
                    ("needs", "merged_into"),
                    ("backings", "need_id"),
                    ("dots", "need_id"),
                    ("ratings", "need_id"),
                ]
            ),
        )

    def need_state(self, workshop_id: int, need_id: int) -> tuple[int, bool, int | None] | None:
        """(author id, hidden, merged into) of a need in this workshop, or None."""
        return self._item_state(
            "SELECT participant_id, hidden, merged_into FROM needs WHERE id = ? AND workshop_id = ?",
            workshop_id,
            need_id,
        )

    def _item_state(self, sql: str, workshop_id: int, item_id: int) -> tuple[Any, ...] | None:
        """The row `sql` reads for one item, kept until the workshop's next removal. When
        other processes write too, one may hide or merge at any moment: read every time."""
        if not self._db.sole_writer:
            return self._one(sql, [item_id, workshop_id])
        removal = self.removal_version(workshop_id)
        return self._items.get(
            (sql, workshop_id, item_id), removal, lambda: self._one(sql, [item_id, workshop_id])
        )

    def set_backing(self, participant: Participant, need_id: int, backed: bool) -> None:
        tries = itertools.count()

        def work(cur: Any) -> None:
            if backed:
                cur.execute(  # a plain insert first, as for reactions (set_reaction)
                    _INSERT_BACKING if next(tries) == 0 else f"{_INSERT_BACKING} ON CONFLICT DO NOTHING",
                    [need_id, participant.id, participant.workshop_id, self._clock()],
                )
            else:
                cur.execute(
                    "DELETE FROM backings WHERE need_id = ? AND participant_id = ?",
                    [need_id, participant.id],
                )
            self._log_by(cur, participant, "back" if backed else "unback", need_id)

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_backing(need_id, backed),
        )

    def needs(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False, by: int | None = None
    ) -> list[Need]:
        """The workshop's needs (merged ones folded into their target), most dots first;
        with `by`, only the ones that participant proposed."""
        return [need for need, _, _ in self._needs(workshop_id, viewer_id, include_hidden, by)]

    def need_texts(self, workshop_id: int) -> list[tuple[int, str]]:
        """The id and text of every need participants see, oldest first."""
        return [
            (int(r[0]), r[1])
            for r in self._rows(
                "SELECT id, text FROM needs WHERE workshop_id = ? AND NOT hidden AND merged_into IS NULL ORDER BY id",
                [workshop_id],
            )
        ]

    def room_needs(self, workshop_id: int) -> RoomNeeds:
        """The needs participants see, with who backed each and who holds its dots."""
        rows = self._needs(workshop_id, -1, False, None)
        return RoomNeeds(
            [need for need, _, _ in rows],
            {need.id: need for need, _, _ in rows},
            {need.id: frozenset(backers) for need, backers, _ in rows if backers},
            {need.id: _tally(holders) for need, _, holders in rows if holders},
        )

    def _needs(
        self, workshop_id: int, viewer_id: int, include_hidden: bool, by: int | None
    ) -> list[tuple[Need, list[int], list[int]]]:
        with self._db.cursor() as cur:
            rows = cur.execute(
                _NEEDS_SQL.format(
                    hidden="" if include_hidden else "AND NOT n.hidden",
                    by="" if by is None else "AND n.participant_id = $by",
                ),
                {"w": workshop_id, "viewer": viewer_id} | ({} if by is None else {"by": by}),
            ).fetchall()
        return [
            (
                Need(  # type: ignore[misc]  # a row's length is not typed
                    *r[:10],
                    merged_from=tuple(r[10] or ()),
                    i_backed=r[11],
                    my_dots=r[12],
                    my_importance=r[13],
                    my_capability=r[14],
                ),
                r[15] or [],
                r[16] or [],
            )
            for r in rows
        ]

    # -- dots and ratings ---------------------------------------------------------------

    def place_dot(
        self,
        participant: Participant,
        need_id: int,
        *,
        budget: int,
        cap: int,
        seen: dict[str, Any] | None = None,
    ) -> tuple[DotResult, int]:
        """Put one of the participant's dots on a need, within the budget and the per-need cap.
        Returns the outcome and how many dots the participant holds afterwards. `seen`: the
        phase and whether the counts were shown, logged with it (how votes moved)."""

        def work(cur: Any) -> tuple[DotResult, int]:
            rows = cur.execute(  # the participant's dots, and the need (slot -1) if it is open to dots
                """
                SELECT slot, need_id, need_slot FROM dots WHERE workshop_id = $w AND participant_id = $p
                UNION ALL
                SELECT -1, id, -1 FROM needs
                 WHERE id = $n AND workshop_id = $w AND NOT hidden AND merged_into IS NULL
                """,
                {"w": participant.workshop_id, "p": participant.id, "n": need_id},
            ).fetchall()
            held = [row for row in rows if row[0] >= 0]
            if len(held) == len(rows):
                return DotResult.NEED_GONE, -1
            free = sorted(set(range(budget)) - {slot for slot, _, _ in held})
            if not free:
                return DotResult.BUDGET_SPENT, len(held)
            free_on_need = sorted(set(range(cap)) - {ns for _, n, ns in held if n == need_id})
            if not free_on_need:
                return DotResult.CAP_REACHED, len(held)
            cur.execute(
                "INSERT INTO dots VALUES (?, ?, ?, ?, ?, ?)",
                [
                    participant.workshop_id,
                    participant.id,
                    free[0],
                    need_id,
                    free_on_need[0],
                    self._clock(),
                ],
            )
            self._log_by(cur, participant, "place_dot", need_id, seen)
            return DotResult.PLACED, len(held) + 1

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, r: state.with_dots(need_id, +1) if r[0] is DotResult.PLACED else state,
        )

    def remove_dot(self, participant: Participant, need_id: int, seen: dict[str, Any] | None = None) -> bool:
        """Take back one of the participant's dots from a need; False if it holds none."""

        def work(cur: Any) -> bool:
            done = cur.execute(
                """
                DELETE FROM dots WHERE workshop_id = $w AND participant_id = $p AND need_id = $n
                  AND need_slot = (SELECT max(need_slot) FROM dots
                                   WHERE workshop_id = $w AND participant_id = $p AND need_id = $n)
                RETURNING slot
                """,
                {"w": participant.workshop_id, "p": participant.id, "n": need_id},
            ).fetchall()
            if done:
                self._log_by(cur, participant, "remove_dot", need_id, seen)
            return bool(done)

        return self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, removed: state.with_dots(need_id, -1) if removed else state,
        )

    def dots_used(self, participant: Participant) -> int:
        return self._one(
            "SELECT count(*) FROM dots WHERE workshop_id = ? AND participant_id = ?",
            [participant.workshop_id, participant.id],
        )[0]

    def viewer_state(self, workshop_id: int, participant_id: int) -> ViewerState:
        """One person's own reactions, backings, dots and ratings, to lay over lists shared by
        every viewer: kept by viewer version, read again (one small query) when it moved. Do
        not change what it returns."""
        own = (workshop_id, participant_id)
        with self._viewers.turn(own):
            version = self.viewer_version(*own)
            state = self._viewers.get(own, version, lambda: self._read_viewer_state(*own))
            assert state is not None  # a person's state is read whole, never None
            return state

    def _read_viewer_state(self, workshop_id: int, participant_id: int) -> ViewerState:
        with self._db.cursor() as cur:
            rows = cur.execute(
                """
            SELECT 'reaction', statement_id, kind, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM reactions
             WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'backing', need_id, NULL, NULL, NULL FROM backings WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'dots', need_id, NULL, count(*), NULL FROM dots
             WHERE workshop_id = $w AND participant_id = $p GROUP BY need_id
            UNION ALL
            SELECT 'rating', need_id, NULL, importance, capability FROM ratings
             WHERE workshop_id = $w AND participant_id = $p
            UNION ALL
            SELECT 'statement', id, NULL, NULL, NULL FROM statements
             WHERE workshop_id = $w AND participant_id = $p AND NOT hidden
            UNION ALL
            SELECT 'need', id, NULL, NULL, NULL FROM needs
             WHERE workshop_id = $w AND participant_id = $p AND NOT hidden AND merged_into IS NULL
            UNION ALL
            SELECT 'mark', practice_id, kind, NULL, NULL FROM practice_reactions
             WHERE workshop_id = $w AND participant_id = $p
            """,
                {"w": workshop_id, "p": participant_id},
            ).fetchall()
        state = ViewerState(participant_id, {}, set(), {}, {}, set(), set())
        for kind, item, reaction, a, b in rows:
            if kind == "reaction":
                state.reactions[item] = Reaction(reaction)
            elif kind == "backing":
                state.backed.add(item)
            elif kind == "dots":
                state.dots[item] = a
            elif kind == "rating":
                state.ratings[item] = (a, b)
            elif kind == "statement":
                state.statements.add(item)
            elif kind == "mark":
                state.marks.add((item, reaction))
            else:
                state.needs.add(item)
        return state

    def set_rating(
        self,
        participant: Participant,
        need_id: int,
        importance: int | None,
        capability: int | None,
    ) -> None:
        def work(cur: Any) -> None:
            cur.execute(
                "INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (need_id, participant_id) "
                "DO UPDATE SET importance = excluded.importance, capability = excluded.capability, "
                "rated_at = excluded.rated_at",
                [
                    need_id,
                    participant.id,
                    participant.workshop_id,
                    importance,
                    capability,
                    self._clock(),
                ],
            )
            self._log_by(
                cur, participant, "rate", need_id, detail={"importance": importance, "capability": capability}
            )

        self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, _: state.with_rating(need_id, importance, capability),
        )

    # -- moderation -----------------------------------------------------------------------

    def _set_hidden(self, table: str, noun: str, workshop_id: int, item_id: int, hidden: bool) -> bool:
        """Hide one of the workshop's statements or practices (`table`) from everyone, or
        show it again, logged as hide_`noun` / unhide_`noun`; whether there was such an item."""

        def work(cur: Any) -> bool:
            done = cur.execute(
                f"UPDATE {table} SET hidden = ? WHERE id = ? AND workshop_id = ? RETURNING id",
                [hidden, item_id, workshop_id],
            ).fetchall()
            if done:
                self._log(
                    cur,
                    workshop_id,
                    "facilitator",
                    f"hide_{noun}" if hidden else f"unhide_{noun}",
                    subject_id=item_id,
                )
            return bool(done)

        return self._write(workshop_id, work, removes=True)

    def set_statement_hidden(self, workshop_id: int, statement_id: int, hidden: bool) -> bool:
        return self._set_hidden("statements", "statement", workshop_id, statement_id, hidden)

    def set_need_hidden(self, workshop_id: int, need_id: int, hidden: bool) -> int | None:
        """Hide or show a need; hiding gives its dots back. Returns the dots returned, None if no such need."""

        def work(cur: Any) -> int | None:
            done = cur.execute(
                "UPDATE needs SET hidden = ? WHERE id = ? AND workshop_id = ? AND merged_into IS NULL RETURNING id",
                [hidden, need_id, workshop_id],
            ).fetchall()
            if not done:
                return None
            returned = 0
            if hidden:
                returned = len(
                    cur.execute("DELETE FROM dots WHERE need_id = ? RETURNING slot", [need_id]).fetchall()
                )
            self._log(
                cur,
                workshop_id,
                "facilitator",
                "hide_need" if hidden else "unhide_need",
                subject_id=need_id,
                detail={"dots_returned": returned} if hidden else None,
            )
            return returned

        return self._write(workshop_id, work, removes=True)

    def merge_needs(
        self, workshop_id: int, source_ids: Sequence[int], target_id: int, *, cap: int
    ) -> dict[str, int]:
        """Fold the needs `source_ids` into `target_id`, one after another, in one
        transaction; what moved, summed over them.

        Backers move (a source's author becomes a backer of the target); nobody backs a
        need twice and an author never backs their own. Dots move up to the per-need cap;
        the rest go back to their owners. A rating moves unless its owner rated the target.
        """

        def work(cur: Any) -> dict[str, int]:
            total: dict[str, int] = {}
            for source_id in source_ids:
                for name, count in self._merge_one(cur, workshop_id, source_id, target_id, cap).items():
                    total[name] = total.get(name, 0) + count
            return total

        return self._write(workshop_id, work, removes=True)

    def _merge_one(
        self, cur: Any, workshop_id: int, source_id: int, target_id: int, cap: int
    ) -> dict[str, int]:
        """Merge one need into another within the caller's transaction, and keep in `merges`
        what moved, so that `unmerge_need` can put it back exactly."""
        (target_author,) = cur.execute(
            "SELECT participant_id FROM needs WHERE id = ?", [target_id]
        ).fetchone()
        (source_author,) = cur.execute(
            "SELECT participant_id FROM needs WHERE id = ?", [source_id]
        ).fetchone()
        source_backings = cur.execute(
            "SELECT participant_id, backed_at FROM backings WHERE need_id = ? ORDER BY participant_id",
            [source_id],
        ).fetchall()
        already = {
            r[0]
            for r in cur.execute(
                "SELECT participant_id FROM backings WHERE need_id = ?", [target_id]
            ).fetchall()
        }
        backers = {pid for pid, _ in source_backings} | {source_author}
        new_backers = sorted(backers - already - {target_author})
        now = self._clock()
        for pid in new_backers:
            cur.execute("INSERT INTO backings VALUES (?, ?, ?, ?)", [target_id, pid, workshop_id, now])
        cur.execute("DELETE FROM backings WHERE need_id = ?", [source_id])

        source_dots = cur.execute(
            "SELECT participant_id, slot, need_slot, placed_at FROM dots WHERE need_id = ? "
            "ORDER BY participant_id, need_slot",
            [source_id],
        ).fetchall()
        taken: dict[int, set[int]] = {}
        for pid, ns in cur.execute(
            "SELECT participant_id, need_slot FROM dots WHERE need_id = ?", [target_id]
        ).fetchall():
            taken.setdefault(pid, set()).add(ns)
        dots = []  # [participant, slot, need slot on the source, when placed, need slot on the target or None]
        for pid, slot, need_slot, placed_at in source_dots:
            free = sorted(set(range(cap)) - taken.setdefault(pid, set()))
            if free:
                cur.execute(
                    "UPDATE dots SET need_id = ?, need_slot = ? WHERE workshop_id = ? AND participant_id = ? AND slot = ?",
                    [target_id, free[0], workshop_id, pid, slot],
                )
                taken[pid].add(free[0])
            else:
                cur.execute(
                    "DELETE FROM dots WHERE workshop_id = ? AND participant_id = ? AND slot = ?",
                    [workshop_id, pid, slot],
                )
            dots.append([pid, slot, need_slot, placed_at.isoformat(), free[0] if free else None])

        source_ratings = cur.execute(
            "SELECT participant_id, importance, capability, rated_at FROM ratings WHERE need_id = ?",
            [source_id],
        ).fetchall()
        rated_target = {
            r[0]
            for r in cur.execute(
                "SELECT participant_id FROM ratings WHERE need_id = ?", [target_id]
            ).fetchall()
        }
        cur.execute(
            "INSERT INTO ratings SELECT ?, participant_id, workshop_id, importance, capability, rated_at "
            "FROM ratings WHERE need_id = ? ON CONFLICT DO NOTHING",
            [target_id, source_id],
        )
        cur.execute("DELETE FROM ratings WHERE need_id = ?", [source_id])
        repointed = [
            r[0] for r in cur.execute("SELECT id FROM needs WHERE merged_into = ?", [source_id]).fetchall()
        ]
        cur.execute("UPDATE needs SET merged_into = ? WHERE merged_into = ?", [target_id, source_id])
        cur.execute(
            "UPDATE needs SET merged_into = ?, updated_at = ? WHERE id = ?", [target_id, now, source_id]
        )
        moved = {
            "backings": [[pid, at.isoformat()] for pid, at in source_backings],
            "added_backers": new_backers,
            "dots": dots,
            "ratings": [[pid, i, c, at.isoformat()] for pid, i, c, at in source_ratings],
            "ratings_added": sorted({r[0] for r in source_ratings} - rated_target),
            "repointed": repointed,
        }
        cur.execute(
            "INSERT INTO merges VALUES (nextval('merge_ids'), ?, ?, ?, ?, NULL, ?)",
            [workshop_id, source_id, target_id, now, json.dumps(moved)],
        )
        result = {
            "backers_added": len(new_backers),
            "dots_moved": sum(1 for d in dots if d[4] is not None),
            "dots_returned": sum(1 for d in dots if d[4] is None),
        }
        self._log(
            cur,
            workshop_id,
            "facilitator",
            "merge_needs",
            subject_id=source_id,
            detail={"into": target_id, **result},
        )
        return result

    def unmerge_need(self, workshop_id: int, source_id: int, *, budget: int) -> dict[str, int] | None:
        """Undo the last merge of need `source_id`: it is on the list again with its backers,
        its ratings and the dots it held, each dot on it again if the person still has it
        where the merge put it, or, for a dot the merge gave back, if the person has a dot
        left (within `budget`). None when the need is not merged (any more)."""

        def work(cur: Any) -> dict[str, int] | None:
            found = cur.execute(
                "SELECT m.id, m.target_id, m.moved FROM merges m JOIN needs n ON n.id = m.source_id "
                "WHERE m.workshop_id = ? AND m.source_id = ? AND m.undone_at IS NULL AND n.merged_into = m.target_id "
                "ORDER BY m.id DESC LIMIT 1",
                [workshop_id, source_id],
            ).fetchone()
            if found is None:
                return None
            merge_id, target_id, raw = found
            moved = json.loads(raw)
            gone_people = {  # removed since the merge: what they did stays away
                r[0]
                for r in cur.execute(
                    "SELECT id FROM participants WHERE workshop_id = ? AND removed", [workshop_id]
                ).fetchall()
            }
            moved["backings"] = [b for b in moved["backings"] if b[0] not in gone_people]
            moved["dots"] = [d for d in moved["dots"] if d[0] not in gone_people]
            moved["ratings"] = [r for r in moved["ratings"] if r[0] not in gone_people]
            now = self._clock()
            cur.execute("UPDATE needs SET merged_into = NULL, updated_at = ? WHERE id = ?", [now, source_id])
            for need_id in moved["repointed"]:
                cur.execute(
                    "UPDATE needs SET merged_into = ? WHERE id = ? AND merged_into = ?",
                    [source_id, need_id, target_id],
                )
            for pid in moved["added_backers"]:
                cur.execute("DELETE FROM backings WHERE need_id = ? AND participant_id = ?", [target_id, pid])
            for pid, at in moved["backings"]:
                cur.execute(
                    "INSERT INTO backings VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [source_id, pid, workshop_id, datetime.fromisoformat(at)],
                )
            back = gone = 0  # dots on the need again; dots taken back or spent elsewhere since
            for pid, slot, need_slot, placed_at, target_slot in moved["dots"]:
                if target_slot is not None:
                    done = cur.execute(
                        "UPDATE dots SET need_id = ?, need_slot = ? WHERE workshop_id = ? AND participant_id = ? "
                        "AND slot = ? AND need_id = ? AND need_slot = ? RETURNING slot",
                        [source_id, need_slot, workshop_id, pid, slot, target_id, target_slot],
                    ).fetchall()
                else:
                    used = {
                        r[0]
                        for r in cur.execute(
                            "SELECT slot FROM dots WHERE workshop_id = ? AND participant_id = ?",
                            [workshop_id, pid],
                        ).fetchall()
                    }
                    free = [s for s in [slot, *range(budget)] if s not in used and s < budget]
                    done = (
                        free
                        and cur.execute(
                            "INSERT INTO dots VALUES (?, ?, ?, ?, ?, ?) RETURNING slot",
                            [
                                workshop_id,
                                pid,
                                free[0],
                                source_id,
                                need_slot,
                                datetime.fromisoformat(placed_at),
                            ],
                        ).fetchall()
                    )
                back, gone = (back + 1, gone) if done else (back, gone + 1)
            for pid in moved["ratings_added"]:
                cur.execute("DELETE FROM ratings WHERE need_id = ? AND participant_id = ?", [target_id, pid])
            for pid, importance, capability, at in moved["ratings"]:
                cur.execute(
                    "INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [source_id, pid, workshop_id, importance, capability, datetime.fromisoformat(at)],
                )
            cur.execute("UPDATE merges SET undone_at = ? WHERE id = ?", [now, merge_id])
            result = {"dots_back": back, "dots_gone": gone}
            self._log(
                cur,
                workshop_id,
                "facilitator",
                "unmerge_need",
                subject_id=source_id,
                detail={"from": target_id, **result},
            )
            return result

        return self._write(workshop_id, work, removes=True)

    # -- practices -----------------------------------------------------------------------

    def add_practice(
        self,
        participant: Participant,
        theme_id: int,
        title: str,
        description: str,
        show_name: bool,
        quota: tuple[int, int],
    ) -> int | tuple[int, int]:
        """Insert a participant's practice; its id. Within `quota` (at most per minute, at
        most in the workshop) only: else nothing is written and the person's (last minute's,
        whole) counts come back."""

        def work(cur: Any) -> int | tuple[int, int]:
            now = self._clock()
            counts = cur.execute(
                "SELECT count(*) FILTER (WHERE created_at > ?), count(*) FROM practices "
                "WHERE workshop_id = ? AND participant_id = ?",
                [now - timedelta(minutes=1), participant.workshop_id, participant.id],
            ).fetchone()
            recent, total = int(counts[0]), int(counts[1])
            if recent >= quota[0] or total >= quota[1]:
                return recent, total
            (practice_id,) = cur.execute(
                "INSERT INTO practices (id, workshop_id, theme_id, participant_id, title, description, show_name, "
                "created_at, updated_at) VALUES (nextval('practice_ids'), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [participant.workshop_id, theme_id, participant.id, title, description, show_name, now, now],
            ).fetchone()
            self._log_by(cur, participant, "share_practice", practice_id)
            return practice_id

        return self._write(participant.workshop_id, work)

    # -- stories of practice: how it went for someone who tried it ---------------------

    def add_story(
        self,
        practice_id: int,
        workshop_id: int,
        story: tuple[str, str, str],
        *,
        participant: Participant | None = None,
        told_by: str = "participant",
        follow_up_id: int | None = None,
        show_name: bool = False,
    ) -> int | None:
        """Keep a story (what was tried, what happened, recommend: yes / partly / no) of a
        practice, told by a person of `workshop_id` or by a leader (`told_by`, for an action
        `follow_up_id`); its id, or None when the person told one of this practice already."""

        def work(cur: Any) -> int | None:
            made = cur.execute(
                "INSERT INTO practice_stories (id, practice_id, workshop_id, participant_id, told_by, follow_up_id, "
                "tried, happened, recommend, show_name, hidden, created_at) "
                "VALUES (nextval('story_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?) "
                "ON CONFLICT DO NOTHING RETURNING id",
                [
                    practice_id,
                    workshop_id,
                    participant.id if participant else None,
                    told_by,
                    follow_up_id,
                    *story,
                    show_name,
                    self._clock(),
                ],
            ).fetchone()
            if made is None:
                return None  # the person told one of this practice already
            (story_id,) = made
            if participant is not None:
                self._log_by(cur, participant, "tell_story", story_id, {"practice": practice_id})
            else:
                self._log(
                    cur,
                    workshop_id,
                    told_by,
                    "tell_story",
                    subject_id=story_id,
                    detail={"practice": practice_id},
                )
            return story_id

        return self._write(workshop_id, work)

    def stories(
        self, practice_ids: Iterable[int], *, include_hidden: bool = False
    ) -> dict[int, list[dict[str, Any]]]:
        """The stories of these practices, newest first: id, workshop (where told), the
        teller's name (when they chose to show it in a named workshop) and team (None in an
        anonymous one), told_by, tried, happened, recommend, hidden, created_at."""
        ids = [int(i) for i in practice_ids]
        if not ids:
            return {}
        shown = "" if include_hidden else "AND NOT s.hidden"
        rows = self._rows(
            f"""
            SELECT s.practice_id, s.id, s.workshop_id, w.title,
                   CASE WHEN s.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous THEN p.team END,
                   s.told_by, s.tried, s.happened, s.recommend, s.hidden, s.created_at, s.follow_up_id
            FROM practice_stories s JOIN workshops w ON w.id = s.workshop_id
            LEFT JOIN participants p ON p.id = s.participant_id
            WHERE s.practice_id IN ({", ".join("?" * len(ids))}) {shown}
            ORDER BY s.created_at DESC, s.id DESC
            """,
            ids,
        )
        found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        keys = (
            "id",
            "workshop_id",
            "workshop",
            "author",
            "team",
            "told_by",
            "tried",
            "happened",
            "recommend",
            "hidden",
            "created_at",
            "follow_up_id",
        )
        for practice_id, *values in rows:
            found[practice_id].append(dict(zip(keys, values, strict=True)))
        return found

    def workshop_stories(self, workshop_id: int) -> list[dict[str, Any]]:
        """The stories told in this workshop, hidden ones too, with their practice's title
        and the teller's name as Facilitate's moderation shows it."""
        keys = (
            "id",
            "practice_id",
            "practice",
            "author",
            "tried",
            "happened",
            "recommend",
            "hidden",
            "created_at",
        )
        return [
            dict(zip(keys, row, strict=True))
            for row in self._rows(
                """
                SELECT s.id, s.practice_id, pr.title, p.name, s.tried, s.happened, s.recommend, s.hidden, s.created_at
                FROM practice_stories s JOIN practices pr ON pr.id = s.practice_id
                LEFT JOIN participants p ON p.id = s.participant_id
                WHERE s.workshop_id = ? ORDER BY s.id
                """,
                [workshop_id],
            )
        ]

    def set_story_hidden(self, workshop_id: int, story_id: int, hidden: bool) -> bool:
        """Hide a story told in this workshop, or show it again; False when it is not one."""

        def work(cur: Any) -> bool:
            changed = cur.execute(
                "UPDATE practice_stories SET hidden = ? WHERE id = ? AND workshop_id = ? RETURNING id",
                [hidden, story_id, workshop_id],
            ).fetchall()
            if changed:
                self._log(
                    cur,
                    workshop_id,
                    "facilitator",
                    "hide_story" if hidden else "unhide_story",
                    subject_id=story_id,
                )
            return bool(changed)

        return self._write(workshop_id, work, removes=True)

    def practice_origin(self, practice_id: int) -> tuple[int, bool, bool] | None:
        """(workshop id, hidden, archived) of a practice, or None."""
        row = self._one(
            "SELECT workshop_id, hidden, archived FROM practices WHERE id = ? AND merged_into IS NULL",
            [practice_id],
        )
        return (row[0], bool(row[1]), bool(row[2])) if row else None

    def is_featured(self, workshop_id: int, practice_id: int) -> bool:
        return (
            self._one(
                "SELECT 1 FROM featured_practices WHERE workshop_id = ? AND practice_id = ?",
                [workshop_id, practice_id],
            )
            is not None
        )

    def practices(
        self, workshop_id: int, *, viewer_id: int = -1, include_hidden: bool = False
    ) -> list[Practice]:
        """The workshop's own practices and those its facilitator featured from earlier
        workshops, oldest first; reactions counted across every workshop. The author's name
        comes only when they chose to show it in a named workshop, their team only from a
        named workshop (a featured practice keeps the anonymity of the workshop it came from)."""
        hidden = "" if include_hidden else "AND NOT pr.hidden AND NOT pr.archived"
        rows = self._rows(
            f"""
            SELECT pr.id, pr.workshop_id, pr.theme_id, pr.participant_id,
                   CASE WHEN pr.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous THEN p.team END,
                   pr.title, pr.description, pr.created_at, pr.hidden,
                   count(*) FILTER (WHERE r.kind = 'do_too'),
                   count(*) FILTER (WHERE r.kind = 'want_to_try'),
                   pr.workshop_id <> $w,
                   bool_or(r.participant_id = $v AND r.kind = 'do_too'),
                   bool_or(r.participant_id = $v AND r.kind = 'want_to_try'),
                   w.title, th.title
            FROM practices pr
            JOIN workshops w ON w.id = pr.workshop_id
            JOIN participants p ON p.id = pr.participant_id
            JOIN themes th ON th.id = pr.theme_id
            LEFT JOIN practice_reactions r ON r.practice_id = pr.id
            WHERE pr.merged_into IS NULL {hidden}
              AND (pr.workshop_id = $w
                   OR pr.id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = $w))
            GROUP BY pr.id, pr.workshop_id, pr.theme_id, pr.participant_id, pr.show_name, w.anonymous, p.name,
                     p.team, pr.title, pr.description, pr.created_at, pr.hidden, w.title, th.title
            ORDER BY pr.workshop_id <> $w DESC, pr.id
            """,
            {"w": workshop_id, "v": viewer_id},
        )
        return [Practice(*row[:12], bool(row[12]), bool(row[13]), bool(row[14]), *row[15:17]) for row in rows]  # type: ignore[call-arg]  # a row's length is not typed

    def library(
        self,
        text: str = "",
        theme: str = "",
        team: str = "",
        since: datetime | None = None,
        *,
        least: int,
        limit: int = 200,
        archived: bool = False,
    ) -> tuple[int, list[dict[str, Any]]]:
        """The practice library: how many shown practices of every workshop match, and the
        newest `limit` of them. A match's title or description contains `text`, its theme's
        title contains `theme` (any case, each when given); it comes from the team `team`
        and was shared `since` then. The team is given only when it has at least `least`
        people (and the workshop is not anonymous), the author's name only when they chose
        to show it; marks are counted across workshops (people, and the teams they are in:
        a number, no names), with the follow-up actions taken on it and the workshops that
        adopted it (an action done). `archived`: the archived ones
        instead.

        The filter runs over the practices alone; only the page drawn is joined to its
        marks, its team's size and its actions."""

        def like(value: str) -> str:
            return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        by_team = (
            f"""
                   AND EXISTS (SELECT 1 FROM participants p JOIN workshops w ON w.id = pr.workshop_id
                               WHERE p.id = pr.participant_id AND p.team = $team AND NOT w.anonymous
                                 AND (SELECT count(*) FROM participants o WHERE o.workshop_id = pr.workshop_id
                                      AND o.team = $team AND NOT o.removed
                                      AND o.id IN ({privacy.answered_anything("pr.workshop_id")})) >= $least)"""
            if team
            else ""
        )
        words = "AND (pr.title ILIKE $q ESCAPE '\\' OR pr.description ILIKE $q ESCAPE '\\')" if text else ""
        rows = self._rows(
            f"""
            WITH hits AS (
                   SELECT pr.id, pr.created_at FROM practices pr JOIN themes th ON th.id = pr.theme_id
                   WHERE pr.merged_into IS NULL AND NOT pr.hidden AND pr.archived = $archived
                     {words}
                     AND th.title ILIKE $theme ESCAPE '\\'
                     AND pr.created_at >= $since {by_team}),
                 page AS (SELECT id, count(*) OVER () AS total FROM hits
                          ORDER BY created_at DESC, id DESC LIMIT $limit),
                 marks AS (SELECT practice_id,
                                  count(*) FILTER (WHERE kind = 'do_too') AS do_too,
                                  count(*) FILTER (WHERE kind = 'want_to_try') AS want_to_try
                           FROM practice_reactions WHERE practice_id IN (SELECT id FROM page)
                           GROUP BY practice_id),
                 teams AS (SELECT practice_id, count(DISTINCT team) FILTER (WHERE doing) AS doing,
                                  count(DISTINCT team) FILTER (WHERE NOT doing) AS wanting
                           FROM (SELECT r.practice_id, p.team, r.kind = 'do_too' AS doing
                                 FROM practice_reactions r JOIN participants p ON p.id = r.participant_id
                                 WHERE r.practice_id IN (SELECT id FROM page)
                                 UNION ALL
                                 SELECT pr.id, p.team, true FROM practices pr
                                 JOIN participants p ON p.id = pr.participant_id
                                 WHERE pr.id IN (SELECT id FROM page)) marked
                           GROUP BY practice_id),
                 acted AS (SELECT l.practice_id, count(DISTINCT f.id) AS actions,
                                  count(DISTINCT l.workshop_id) FILTER (WHERE f.status = 'done') AS adopted
                           FROM follow_up_practices l JOIN follow_ups f ON f.id = l.follow_up_id
                           WHERE l.practice_id IN (SELECT id FROM page) GROUP BY l.practice_id)
            SELECT pr.id, pr.workshop_id, pr.title, pr.description, pr.created_at,
                   th.title, w.title,
                   CASE WHEN pr.show_name AND NOT w.anonymous THEN p.name END,
                   CASE WHEN NOT w.anonymous AND p.team IS NOT NULL
                         AND (SELECT count(*) FROM participants o WHERE o.workshop_id = pr.workshop_id
                              AND o.team = p.team AND NOT o.removed
                              AND o.id IN ({privacy.answered_anything("pr.workshop_id")})) >= $least
                   THEN p.team END,
                   coalesce(m.do_too, 0), coalesce(m.want_to_try, 0),
                   coalesce(a.actions, 0), coalesce(a.adopted, 0),
                   coalesce(t.doing, 0), coalesce(t.wanting, 0), page.total
            FROM page
            JOIN practices pr ON pr.id = page.id
            JOIN workshops w ON w.id = pr.workshop_id
            JOIN participants p ON p.id = pr.participant_id
            JOIN themes th ON th.id = pr.theme_id
            LEFT JOIN marks m ON m.practice_id = pr.id
            LEFT JOIN acted a ON a.practice_id = pr.id
            LEFT JOIN teams t ON t.practice_id = pr.id
            ORDER BY pr.created_at DESC, pr.id DESC
            """,
            {
                **({"q": like(text)} if text else {}),
                "theme": like(theme),
                **({"team": team} if team else {}),
                "since": since or datetime(1970, 1, 1),
                "least": least,
                "limit": limit,
                "archived": archived,
            },
        )
        names = (
            "id",
            "workshop_id",
            "title",
            "description",
            "shared_at",
            "theme",
            "workshop",
            "author",
            "team",
            "do_too",
            "want_to_try",
            "follow_ups",
            "adopted",
            "teams_doing",
            "teams_wanting",
        )
        found = [
            {
                name: (int(value) if i >= 9 else value)
                for i, (name, value) in enumerate(zip(names, row[:15], strict=True))
            }
            for row in rows
        ]
        return (int(rows[0][15]) if rows else 0), found

    def library_themes(self) -> list[str]:
        """The titles of the themes the library's practices (archived ones too) are shared under."""
        return [
            r[0]
            for r in self._rows(
                "SELECT DISTINCT th.title FROM practices pr JOIN themes th ON th.id = pr.theme_id "
                "WHERE NOT pr.hidden AND pr.merged_into IS NULL ORDER BY 1"
            )
        ]

    def library_teams(self, least: int) -> list[str]:
        """The teams the library names (with at least `least` people, in named workshops)."""
        return [
            r[0]
            for r in self._rows(
                """
                SELECT DISTINCT p.team FROM practices pr
                JOIN participants p ON p.id = pr.participant_id
                JOIN workshops w ON w.id = pr.workshop_id
                WHERE NOT pr.hidden AND NOT pr.archived AND pr.merged_into IS NULL AND NOT w.anonymous
                  AND (SELECT count(*) FROM participants o
                       WHERE o.workshop_id = pr.workshop_id AND o.team = p.team AND NOT o.removed) >= ?
                ORDER BY 1
                """,
                [least],
            )
        ]

    def set_practice_reaction(
        self, participant: Participant, practice_id: int, kind: PracticeReaction, on: bool
    ) -> bool:
        """Say (or take back) "We do this too" or "We'd like to try this"; whether it changed."""

        def work(cur: Any) -> set[int] | None:
            if on:
                done = cur.execute(
                    "INSERT INTO practice_reactions VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING practice_id",
                    [practice_id, participant.id, participant.workshop_id, kind.value, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    "DELETE FROM practice_reactions WHERE practice_id = ? AND participant_id = ? AND kind = ? "
                    "RETURNING practice_id",
                    [practice_id, participant.id, kind.value],
                ).fetchall()
            if not done:
                return None
            self._log_by(cur, participant, kind.value if on else f"un{kind.value}", practice_id)
            return self._practice_readers(cur, [practice_id])

        readers = self._write(
            participant.workshop_id,
            work,
            by=participant.id,
            change=lambda state, changed: state.with_mark(practice_id, kind.value, on) if changed else state,
        )
        # Marks count in every workshop showing the practice: their lists move on too.
        for workshop_id in (readers or set()) - {participant.workshop_id}:
            self._bump(workshop_id)
        return readers is not None

    def set_practice_hidden(self, workshop_id: int, practice_id: int, hidden: bool) -> bool:
        """Hide one of the workshop's practices from everyone, or show it again."""
        return self._set_hidden("practices", "practice", workshop_id, practice_id, hidden)

    def _practice_readers(self, cur: Any, practice_ids: Sequence[int]) -> set[int]:
        """The workshops whose screens show these practices or count their marks."""
        marks = ", ".join("?" * len(practice_ids))
        rows = cur.execute(
            f"SELECT workshop_id FROM practices WHERE id IN ({marks}) "
            f"UNION SELECT workshop_id FROM featured_practices WHERE practice_id IN ({marks}) "
            f"UNION SELECT workshop_id FROM practice_reactions WHERE practice_id IN ({marks})",
            [*practice_ids, *practice_ids, *practice_ids],
        ).fetchall()
        return {r[0] for r in rows}

    def set_practice_archived(self, practice_id: int, archived: bool, by: str) -> bool:
        """Take a practice out of the library and every workshop's boards (it is kept, and
        can come back), or bring it back; whether there was such a practice."""
        origin = self.practice_origin(practice_id)
        if origin is None:
            return False

        def work(cur: Any) -> set[int]:
            done = cur.execute(
                "UPDATE practices SET archived = ? WHERE id = ? AND merged_into IS NULL RETURNING id",
                [archived, practice_id],
            ).fetchall()
            if not done:
                return set()
            self._log(
                cur,
                origin[0],
                by,
                "archive_practice" if archived else "unarchive_practice",
                subject_id=practice_id,
            )
            return self._practice_readers(cur, [practice_id])

        readers = self._write(origin[0], work, removes=True)
        for workshop_id in readers - {origin[0]}:
            self._bump(workshop_id, removes=True)
        return bool(readers)

    def merge_practices(self, source_id: int, target_id: int, by: str) -> bool:
        """Merge a duplicate practice into another: its marks, the needs pointing to it, the
        workshops featuring it and the actions trying it go to the target (each once); it
        leaves the library, its text kept with `merged_into`. Whether it was merged."""
        origin = self.practice_origin(source_id)
        if origin is None:
            return False

        def work(cur: Any) -> set[int]:
            readers = self._practice_readers(cur, [source_id, target_id])
            done = cur.execute(
                "UPDATE practices SET merged_into = ?, updated_at = ? WHERE id = ? AND merged_into IS NULL "
                "AND id <> ? AND EXISTS (SELECT 1 FROM practices t WHERE t.id = ? AND t.merged_into IS NULL) "
                "RETURNING id",
                [target_id, self._clock(), source_id, target_id, target_id],
            ).fetchall()
            if not done:
                return set()
            cur.execute("UPDATE practices SET merged_into = ? WHERE merged_into = ?", [target_id, source_id])
            moves = (  # each table, the columns it keeps beside the practice, which rows stay behind
                ("practice_reactions", "participant_id, workshop_id, kind, reacted_at", ""),
                ("need_practices", "need_id, workshop_id, linked_by, linked_at", ""),
                ("follow_up_practices", "follow_up_id, workshop_id", ""),
                (  # a workshop does not feature its own practice
                    "featured_practices",
                    "workshop_id, featured_at",
                    "AND workshop_id NOT IN (SELECT workshop_id FROM practices WHERE id = $t)",
                ),
            )
            for table, columns, unless in moves:
                cur.execute(
                    f"INSERT INTO {table} (practice_id, {columns}) SELECT $t, {columns} FROM {table} "
                    f"WHERE practice_id = $s {unless} ON CONFLICT DO NOTHING",
                    {"s": source_id, "t": target_id},
                )
                cur.execute(f"DELETE FROM {table} WHERE practice_id = ?", [source_id])
            self._log(cur, origin[0], by, "merge_practice", subject_id=source_id, detail={"into": target_id})
            return readers

        readers = self._write(origin[0], work, removes=True)
        for workshop_id in readers - {origin[0]}:
            self._bump(workshop_id, removes=True)
        return bool(readers)

    def set_featured(self, workshop_id: int, practice_id: int, featured: bool) -> bool:
        """Show a practice of another workshop in this one, or stop showing it; whether it changed."""

        def work(cur: Any) -> bool:
            if featured:
                done = cur.execute(
                    "INSERT INTO featured_practices VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING practice_id",
                    [workshop_id, practice_id, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    "DELETE FROM featured_practices WHERE workshop_id = ? AND practice_id = ? RETURNING practice_id",
                    [workshop_id, practice_id],
                ).fetchall()
            if done:
                self._log(
                    cur,
                    workshop_id,
                    "facilitator",
                    "feature_practice" if featured else "unfeature_practice",
                    subject_id=practice_id,
                )
            return bool(done)

        return self._write(workshop_id, work, removes=not featured)

    def _link_need(
        self,
        table: str,
        verbs: tuple[str, str],
        workshop_id: int,
        need_id: int,
        other: tuple[str, int],
        by: str,
        linked: bool,
    ) -> bool:
        """Add (or remove) a row linking a need to another item in `table` (need_id, the
        item's column, workshop_id, linked_by, linked_at), logged as one of `verbs` (link,
        unlink); whether it changed."""
        column, item_id = other

        def work(cur: Any) -> bool:
            if linked:
                done = cur.execute(
                    f"INSERT INTO {table} (need_id, {column}, workshop_id, linked_by, linked_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING need_id",
                    [need_id, item_id, workshop_id, by, self._clock()],
                ).fetchall()
            else:
                done = cur.execute(
                    f"DELETE FROM {table} WHERE need_id = ? AND {column} = ? RETURNING need_id",
                    [need_id, item_id],
                ).fetchall()
            if done:
                self._log(
                    cur,
                    workshop_id,
                    by,
                    verbs[0] if linked else verbs[1],
                    subject_id=need_id,
                    detail={column.removesuffix("_id"): item_id},
                )
            return bool(done)

        return self._write(workshop_id, work, removes=not linked)

    def link_practice(self, workshop_id: int, need_id: int, practice_id: int, by: str, linked: bool) -> bool:
        """Point a need at a practice that answers it ("learn from this"), or stop; whether it changed."""
        return self._link_need(
            "need_practices",
            ("link_practice", "unlink_practice"),
            workshop_id,
            need_id,
            ("practice_id", practice_id),
            by,
            linked,
        )

    def cite_statement(
        self, workshop_id: int, need_id: int, statement_id: int, by: str, linked: bool
    ) -> bool:
        """Let a need cite a statement it came from, or stop; whether it changed."""
        return self._link_need(
            "need_statements",
            ("cite_statement", "uncite_statement"),
            workshop_id,
            need_id,
            ("statement_id", statement_id),
            by,
            linked,
        )

    def need_statements(self, workshop_id: int) -> dict[int, list[int]]:
        """For each need of the workshop that cites statements, their ids, oldest link first;
        a need also cites what the needs merged into it cited (each once)."""
        cited: dict[int, list[int]] = {}
        for need_id, statement_id in self._rows(
            """
            SELECT coalesce(n.merged_into, l.need_id), l.statement_id FROM need_statements l
            JOIN needs n ON n.id = l.need_id
            WHERE l.workshop_id = ? ORDER BY l.linked_at, l.statement_id
            """,
            [workshop_id],
        ):
            if statement_id not in cited.setdefault(need_id, []):
                cited[need_id].append(statement_id)
        return cited

    def need_practices(self, workshop_id: int) -> dict[int, list[int]]:
        """For each need of the workshop that points to practices, their ids."""
        linked: dict[int, list[int]] = {}
        for need_id, practice_id in self._rows(
            "SELECT need_id, practice_id FROM need_practices WHERE workshop_id = ? ORDER BY need_id, linked_at",
            [workshop_id],
        ):
            linked.setdefault(need_id, []).append(practice_id)
        return linked

    # -- who can help whom -----------------------------------------------------------------

    def help_pairs(self, workshop_id: int, least: int) -> list[dict[str, Any]]:
        """Teams of the workshop that would learn something, each beside a team that can help.

        On a need: a team rating it important (mean importance at least IMPORTANT) and itself
        weak (mean capability at most WEAK) beside a team rating itself strong on it (at least
        STRONG), or a team whose shared practice the need points to. A team's mean counts
        from MIN_RATERS of its people. On a practice the room sees: a team whose people would
        like to try it beside the team that shared it and the teams that do it too (in any
        workshop). Only teams with at least `least` people are named, and the team that
        shared a practice only outside anonymous workshops; nothing else is shown about them.
        One row per pair and subject, saying how the helper can help (`how`: (way, detail)
        pairs, ("rates", its mean capability), ("shares", a practice's title), ("shared", None)
        or ("does", None)); needs first, the widest gap first, then practices, the most
        interest first."""
        params = {
            "w": workshop_id,
            "least": least,
            "raters": MIN_RATERS,
            "important": IMPORTANT,
            "weak": WEAK,
            "strong": STRONG,
        }
        # A team is named when at least $least of its people took part in anything in its
        # workshop (this one, or the one a featured practice comes from), as bylines name teams.
        named = f"""
            origins AS (SELECT $w AS workshop_id UNION SELECT pr.workshop_id FROM practices pr
                        JOIN featured_practices f ON f.practice_id = pr.id WHERE f.workshop_id = $w),
            answers AS (SELECT a.participant_id FROM origins o,
                        LATERAL ({privacy.answered_anything("o.workshop_id")}) a),
            sizes AS (SELECT p.workshop_id, p.team, count(*) AS size FROM participants p
                      JOIN answers a ON a.participant_id = p.id
                      WHERE NOT p.removed AND p.team IS NOT NULL GROUP BY p.workshop_id, p.team),
            named AS (SELECT p.id, p.workshop_id, p.team FROM participants p
                      JOIN sizes s ON s.workshop_id = p.workshop_id AND s.team = p.team
                      WHERE NOT p.removed AND s.size >= $least),
            sharers AS (SELECT pr.id AS practice_id, n.team FROM practices pr
                        JOIN named n ON n.id = pr.participant_id
                        JOIN workshops w ON w.id = pr.workshop_id
                        WHERE NOT w.anonymous AND NOT pr.hidden AND NOT pr.archived AND pr.merged_into IS NULL)
        """
        on_needs = self._rows(
            f"""
            WITH {named},
            rated AS (SELECT r.need_id, n.team, avg(r.importance) AS importance, avg(r.capability) AS capability,
                             count(r.importance) AS judged, count(r.capability) AS assessed
                      FROM ratings r JOIN named n ON n.id = r.participant_id
                      WHERE r.workshop_id = $w GROUP BY r.need_id, n.team),
            helpers AS (SELECT need_id, team, capability, NULL AS practice FROM rated
                        WHERE assessed >= $raters AND capability >= $strong
                        UNION ALL
                        SELECT l.need_id, s.team, NULL, pr.title FROM need_practices l
                        JOIN sharers s ON s.practice_id = l.practice_id
                        JOIN practices pr ON pr.id = l.practice_id
                        WHERE l.workshop_id = $w)
            SELECT d.id, d.text, r.team, h.team, r.importance, r.capability, h.capability, h.practice
            FROM rated r
            JOIN helpers h ON h.need_id = r.need_id AND h.team <> r.team
            JOIN needs d ON d.id = r.need_id
            WHERE d.workshop_id = $w AND NOT d.hidden AND d.merged_into IS NULL
              AND r.judged >= $raters AND r.assessed >= $raters
              AND r.importance >= $important AND r.capability <= $weak
            ORDER BY r.importance - r.capability DESC, d.id, r.team, h.capability DESC NULLS LAST, h.team
            """,
            params,
        )
        on_practices = self._rows(
            f"""
            WITH {named},
            shown AS (SELECT id, title FROM practices
                      WHERE NOT hidden AND NOT archived AND merged_into IS NULL
                        AND (workshop_id = $w
                             OR id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = $w))),
            wanting AS (SELECT r.practice_id, n.team, count(*) AS people FROM practice_reactions r
                        JOIN named n ON n.id = r.participant_id
                        WHERE r.workshop_id = $w AND r.kind = 'want_to_try' GROUP BY r.practice_id, n.team),
            doing AS (SELECT practice_id, team, true AS shared FROM sharers
                      UNION ALL
                      SELECT r.practice_id, n.team, false FROM practice_reactions r
                      JOIN named n ON n.id = r.participant_id WHERE r.kind = 'do_too'),
            doers AS (SELECT practice_id, team, bool_or(shared) AS shared FROM doing GROUP BY practice_id, team)
            SELECT s.id, s.title, wn.team, d.team, wn.people, d.shared
            FROM shown s
            JOIN wanting wn ON wn.practice_id = s.id
            JOIN doers d ON d.practice_id = s.id AND d.team <> wn.team
            ORDER BY wn.people DESC, s.id, wn.team, d.shared DESC, d.team
            """,
            {"w": workshop_id, "least": least},
        )
        pairs: dict[tuple[Any, ...], dict[str, Any]] = {}
        for need_id, text, learner, helper, importance, capability, strength, practice in on_needs:
            pair = pairs.setdefault(
                ("need", need_id, learner, helper),
                {
                    "kind": "need",
                    "about_id": need_id,
                    "about": text,
                    "learner": learner,
                    "helper": helper,
                    "how": [],
                    "importance": round(float(importance), 1),
                    "capability": round(float(capability), 1),
                    "wanting": None,
                },
            )
            pair["how"].append(
                ("rates", round(float(strength), 1)) if strength is not None else ("shares", practice)
            )
        for practice_id, title, learner, helper, people, shared in on_practices:
            pairs[("practice", practice_id, learner, helper)] = {
                "kind": "practice",
                "about_id": practice_id,
                "about": title,
                "learner": learner,
                "helper": helper,
                "how": [("shared", None) if shared else ("does", None)],
                "importance": None,
                "capability": None,
                "wanting": int(people),
            }
        return [{**pair, "how": tuple(dict.fromkeys(pair["how"]))} for pair in pairs.values()]

    # -- follow-up actions ---------------------------------------------------------------

    def need_workshops(self, need_ids: Iterable[int]) -> dict[int, tuple[int, bool, int | None]]:
        """For each existing need id: (workshop id, hidden, merged into)."""
        ids = list(need_ids)
        if not ids:
            return {}
        rows = self._rows(
            f"SELECT id, workshop_id, hidden, merged_into FROM needs WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def add_follow_up(
        self,
        title: str,
        owner: str | None,
        due_date: date | None,
        status: FollowUpStatus,
        created_by: str,
        need_ids: list[int],
        workshop_ids: list[int],
        practices: Sequence[tuple[int, int]] = (),
    ) -> int:
        """Insert an action answering `need_ids` and (practice id, workshop id) pairs of
        `practices`: a practice people of that workshop would like to try."""

        def work(cur: Any) -> int:
            now = self._clock()
            fid = cur.execute("SELECT nextval('follow_up_ids')").fetchone()[0]
            cur.execute(
                "INSERT INTO follow_ups (id, title, owner, due_date, status, created_by, created_at, updated_at, "
                "done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [fid, title, owner, due_date, status.value, created_by, now, now, _done_at(status, now)],
            )
            cur.execute(
                "INSERT INTO follow_up_history VALUES (?, ?, ?, ?)", [fid, status.value, now, created_by]
            )
            for need_id in need_ids:
                cur.execute("INSERT INTO follow_up_needs VALUES (?, ?)", [fid, need_id])
            for practice_id, wid in practices:
                cur.execute("INSERT INTO follow_up_practices VALUES (?, ?, ?)", [fid, practice_id, wid])
            detail = {"needs": need_ids} | ({"practices": [p for p, _ in practices]} if practices else {})
            for wid in workshop_ids:
                self._log(cur, wid, created_by, "add_follow_up", subject_id=fid, detail=detail)
            return fid

        made = self._write(None, work)
        for workshop_id in workshop_ids:  # their logs hold a line more
            self._bump(workshop_id)
        return made

    def update_follow_up(
        self,
        follow_up_id: int,
        title: str,
        owner: str | None,
        due_date: date | None,
        status: FollowUpStatus,
        changed_by: str,
        note: str | None = None,
        outcome: str | None = None,
    ) -> bool:
        """Change an action; a change of status is kept with its date (the timeline). The
        workshops whose needs or practices it answers move on (their people's screens show
        what became of their needs)."""

        def work(cur: Any) -> tuple[bool, list[int]]:
            now = self._clock()
            before = cur.execute("SELECT status FROM follow_ups WHERE id = ?", [follow_up_id]).fetchone()
            done = cur.execute(
                "UPDATE follow_ups SET title = ?, owner = ?, due_date = ?, status = ?, updated_at = ?, "
                "done_at = CASE WHEN ? THEN coalesce(done_at, ?) END, note = ?, outcome = ? WHERE id = ? RETURNING id",
                [
                    title,
                    owner,
                    due_date,
                    status.value,
                    now,
                    status is FollowUpStatus.DONE,
                    now,
                    note,
                    outcome,
                    follow_up_id,
                ],
            ).fetchall()
            if done and before[0] != status.value:
                cur.execute(
                    "INSERT INTO follow_up_history VALUES (?, ?, ?, ?)",
                    [follow_up_id, status.value, now, changed_by],
                )
            if done:
                self._log(
                    cur,
                    None,
                    changed_by,
                    "update_follow_up",
                    subject_id=follow_up_id,
                    detail={"status": status.value},
                )
            answered = cur.execute(
                "SELECT n.workshop_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id "
                "WHERE l.follow_up_id = ? UNION SELECT workshop_id FROM follow_up_practices WHERE follow_up_id = ?",
                [follow_up_id, follow_up_id],
            ).fetchall()
            return bool(done), [r[0] for r in answered]

        done, workshops = self._write(None, work)
        for workshop_id in workshops if done else ():
            self._bump(workshop_id)
        return done

    def delete_follow_up(self, follow_up_id: int, deleted_by: str) -> bool:
        """Delete an action with its links and timeline; the activity log of each workshop it
        answered keeps its title and status (the moderation log shows it)."""

        def work(cur: Any) -> list[int] | None:
            row = cur.execute("SELECT title, status FROM follow_ups WHERE id = ?", [follow_up_id]).fetchone()
            if row is None:
                return None
            workshops = [
                r[0]
                for r in cur.execute(
                    "SELECT n.workshop_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id "
                    "WHERE l.follow_up_id = ? UNION SELECT workshop_id FROM follow_up_practices WHERE follow_up_id = ?",
                    [follow_up_id, follow_up_id],
                ).fetchall()
            ]
            for table in ("follow_up_needs", "follow_up_practices", "follow_up_history"):
                cur.execute(f"DELETE FROM {table} WHERE follow_up_id = ?", [follow_up_id])
            cur.execute("DELETE FROM follow_ups WHERE id = ?", [follow_up_id])
            for wid in workshops or [None]:
                self._log(
                    cur,
                    wid,
                    deleted_by,
                    "delete_follow_up",
                    subject_id=follow_up_id,
                    detail={"title": row[0], "status": row[1]},
                )
            return workshops

        workshops = self._write(None, work, removes=True)
        if workshops is None:
            return False
        for workshop_id in workshops:  # their logs hold a line more
            self._bump(workshop_id, removes=True)
        return True

    def follow_up_history(self, follow_up_ids: Iterable[int]) -> dict[int, list[tuple[str, datetime]]]:
        """For each action: (status, when) of each status it had, oldest first."""
        ids = list(follow_up_ids)
        history: dict[int, list[tuple[str, datetime]]] = {i: [] for i in ids}
        if ids:
            for fid, status, at in self._rows(
                "SELECT follow_up_id, status, changed_at FROM follow_up_history "
                f"WHERE follow_up_id IN ({', '.join('?' * len(ids))}) ORDER BY changed_at, status",
                ids,
            ):
                history[fid].append((status, at))
        return history

    def follow_ups(self, workshop_ids: Iterable[int] | None = None) -> list[FollowUp]:
        """Follow-ups answering a need of any of `workshop_ids`, or a wish of their people to
        try a practice (all follow-ups for None)."""
        ids = None if workshop_ids is None else list(workshop_ids)
        if ids == []:
            return []
        where = "" if ids is None else f"WHERE workshop_id IN ({', '.join('?' * len(ids))})"
        with self._db.analytics(None) as cur:  # a follow-up may answer needs of other workshops too
            rows = cur.execute(
                f"""
            WITH answers AS (SELECT l.follow_up_id, l.need_id, NULL::INTEGER AS practice_id, n.workshop_id
                             FROM follow_up_needs l JOIN needs n ON n.id = l.need_id
                             UNION ALL
                             SELECT follow_up_id, NULL, practice_id, workshop_id FROM follow_up_practices),
                 chosen AS (SELECT DISTINCT follow_up_id FROM answers {where})
            SELECT f.id, f.title, f.owner, f.due_date, f.status, f.created_by, f.created_at, f.updated_at,
                   list(DISTINCT a.need_id ORDER BY a.need_id) FILTER (WHERE a.need_id IS NOT NULL),
                   list(DISTINCT a.workshop_id ORDER BY a.workshop_id),
                   list(DISTINCT a.practice_id ORDER BY a.practice_id) FILTER (WHERE a.practice_id IS NOT NULL),
                   f.done_at, f.note, f.outcome
            FROM follow_ups f JOIN answers a ON a.follow_up_id = f.id
            WHERE f.id IN (SELECT follow_up_id FROM chosen)
            GROUP BY ALL
            ORDER BY f.due_date NULLS LAST, f.id
            """,
                ids or [],
            ).fetchall()
        return [
            FollowUp(  # type: ignore[call-arg]  # a row's length is not typed
                *r[:4],
                FollowUpStatus(r[4]),
                *r[5:8],
                tuple(r[8] or ()),
                tuple(r[9]),
                tuple(r[10] or ()),
                *r[11:14],
            )
            for r in rows
        ]

    def actions_on_needs(self, need_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """For each of `need_ids` that an action answers (directly, or through a need merged
        into it): title, owner, due date, status, when it last changed and what came of it
        (outcome); soonest due first."""
        ids = list(need_ids)
        if not ids:
            return {}
        rows = self._rows(
            f"""
            SELECT coalesce(n.merged_into, n.id), f.id, f.title, f.owner, f.due_date, f.status, f.updated_at,
                   f.outcome
            FROM follow_up_needs l JOIN follow_ups f ON f.id = l.follow_up_id JOIN needs n ON n.id = l.need_id
            WHERE coalesce(n.merged_into, n.id) IN ({", ".join("?" * len(ids))})
            ORDER BY f.due_date NULLS LAST, f.id
            """,
            ids,
        )
        found: dict[int, list[dict[str, Any]]] = {}
        for need_id, fid, title, owner, due, status, updated, outcome in rows:
            if fid not in [a["id"] for a in found.get(need_id, [])]:
                found.setdefault(need_id, []).append(
                    {
                        "id": fid,
                        "title": title,
                        "owner": owner,
                        "due": due,
                        "status": status,
                        "updated_at": updated,
                        "outcome": outcome,
                    }
                )
        return found

    def adoptions(self) -> pd.DataFrame:
        """Each practice adopted in a workshop: practice_id, practice (its title),
        workshop_id, at (the first time an action on it for that workshop was done)."""
        with self._db.analytics(None) as cur:
            return cur.execute(
                """
                SELECT l.practice_id, pr.title AS practice, l.workshop_id, min(f.done_at) AS "at"
                FROM follow_up_practices l JOIN follow_ups f ON f.id = l.follow_up_id
                JOIN practices pr ON pr.id = l.practice_id
                WHERE f.status = 'done' AND pr.merged_into IS NULL AND NOT pr.hidden AND NOT pr.archived
                GROUP BY ALL ORDER BY "at", l.practice_id
                """
            ).df()

    def practice_titles(self, practice_ids: Iterable[int]) -> dict[int, str]:
        ids = list(practice_ids)
        if not ids:
            return {}
        return dict(
            self._rows(f"SELECT id, title FROM practices WHERE id IN ({', '.join('?' * len(ids))})", ids)
        )

    def practice_interest(self, practice_ids: Iterable[int]) -> dict[int, dict[int, int]]:
        """For each practice: per workshop, how many of its people would like to try it."""
        ids = list(practice_ids)
        interest: dict[int, dict[int, int]] = {i: {} for i in ids}
        if ids:
            for practice_id, workshop_id, people in self._rows(
                "SELECT practice_id, workshop_id, count(*) FROM practice_reactions "
                f"WHERE kind = 'want_to_try' AND practice_id IN ({', '.join('?' * len(ids))}) "
                "GROUP BY practice_id, workshop_id",
                ids,
            ):
                interest[practice_id][workshop_id] = int(people)
        return interest

    # -- exports ----------------------------------------------------------------------------

    @staticmethod
    def dot_moves_query(workshop: str) -> str:
        """The log of every dot placed (+1) and taken back (-1) in one workshop (`workshop`: its
        id, or a parameter such as "$w"), oldest first:
        id, at, participant_id, need_id (a merged need's as the need it went into), change,
        phase, and whether the counts were shown (revealed; false for dots logged before
        Cocreate kept it)."""
        return f"""
            SELECT e.id, e.happened_at AS "at", e.participant_id, coalesce(n.merged_into, e.subject_id) AS need_id,
                   CASE e.action WHEN 'place_dot' THEN 1 ELSE -1 END AS change,
                   json_extract_string(e.detail, '$.phase') AS phase,
                   coalesce(CAST(json_extract(e.detail, '$.revealed') AS BOOLEAN), false) AS revealed
            FROM events e LEFT JOIN needs n ON n.id = e.subject_id
            WHERE e.workshop_id = {workshop} AND e.action IN ('place_dot', 'remove_dot')
            ORDER BY e.id"""

    def _session_queries(self, workshop_id: int, min_team_size: int) -> dict[str, str]:
        """One SELECT per table, limited to one workshop, as it may leave the building: no key
        or token hashes, no names in an anonymous workshop, small teams pooled as "other"."""
        w = int(workshop_id)
        m = int(min_team_size)
        of_workshop = f"WHERE workshop_id = {w}"
        return {
            "workshops": "SELECT id, code, title, strategy, phase, dot_budget, per_need_cap, anonymous, "
            "hide_results, revealed, rate_needs, created_at, coalesce(self_paced, false) AS self_paced, "
            f"coalesce(time_zone, 'UTC') AS time_zone FROM workshops WHERE id = {w}",
            "themes": f"SELECT * FROM themes {of_workshop} ORDER BY position",
            # A person's group as a breakdown of everything would show it (privacy.groups),
            # none when theirs is too small even pooled.
            "participants": f"""
                WITH {privacy.groups(*privacy.ANYTHING).replace("$w", str(w)).replace("$min_team", str(m))}
                SELECT p.id, p.workshop_id,
                       CASE WHEN w.anonymous THEN NULL ELSE p.name END AS name,
                       g.team, p.joined_at
                FROM participants p JOIN workshops w ON w.id = p.workshop_id
                LEFT JOIN people g ON g.id = p.id
                WHERE p.workshop_id = {w} AND NOT p.removed ORDER BY p.id""",
            "statements": f"SELECT * FROM statements {of_workshop} ORDER BY id",
            "reactions": f"SELECT * FROM reactions {of_workshop} ORDER BY statement_id, participant_id",
            "needs": f"SELECT * FROM needs {of_workshop} ORDER BY id",
            "backings": f"SELECT * FROM backings {of_workshop} ORDER BY need_id, participant_id",
            "dots": f"SELECT * FROM dots {of_workshop} ORDER BY participant_id, slot",
            "ratings": f"SELECT * FROM ratings {of_workshop} ORDER BY need_id, participant_id",
            "phase_changes": f"SELECT * FROM phase_changes {of_workshop} ORDER BY id",
            "phase_schedule": f"SELECT * FROM phase_schedule {of_workshop} ORDER BY opens_at",
            # The stories told here and those of the practices its people saw; a name only as shown.
            "practice_stories": f"""
                SELECT s.id, s.practice_id, s.workshop_id, s.told_by, s.follow_up_id, s.tried, s.happened,
                       s.recommend, s.hidden, s.created_at
                FROM practice_stories s
                WHERE s.workshop_id = {w} OR s.practice_id IN (
                    SELECT id FROM practices WHERE workshop_id = {w}
                    UNION SELECT practice_id FROM featured_practices WHERE workshop_id = {w})
                ORDER BY s.id""",
            "events": f"SELECT * FROM events {of_workshop} ORDER BY id",
            "follow_ups": f"""
                SELECT * FROM follow_ups WHERE id IN (
                    SELECT l.follow_up_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id
                    WHERE n.workshop_id = {w}
                    UNION SELECT follow_up_id FROM follow_up_practices WHERE workshop_id = {w})
                ORDER BY id""",
            "follow_up_needs": f"""
                SELECT l.* FROM follow_up_needs l JOIN needs n ON n.id = l.need_id
                WHERE n.workshop_id = {w} ORDER BY l.follow_up_id, l.need_id""",
            "follow_up_practices": f"SELECT * FROM follow_up_practices {of_workshop} ORDER BY follow_up_id, practice_id",
            "follow_up_history": f"""
                SELECT * FROM follow_up_history WHERE follow_up_id IN (
                    SELECT l.follow_up_id FROM follow_up_needs l JOIN needs n ON n.id = l.need_id
                    WHERE n.workshop_id = {w}
                    UNION SELECT follow_up_id FROM follow_up_practices WHERE workshop_id = {w})
                ORDER BY follow_up_id, changed_at""",
            # The workshop's own practices and those featured in it from earlier workshops:
            # an author's name only when they chose to show it in a named workshop, a team
            # only from a named workshop and when it has at least the threshold's people.
            "practices": f"""
                WITH sizes AS (SELECT workshop_id, team, count(*) AS size FROM participants
                               WHERE NOT removed AND team IS NOT NULL GROUP BY ALL),
                     marks AS (SELECT practice_id, count(*) FILTER (WHERE kind = 'do_too') AS do_too,
                                      count(*) FILTER (WHERE kind = 'want_to_try') AS want_to_try
                               FROM practice_reactions GROUP BY practice_id)
                SELECT pr.id, pr.workshop_id, w.title AS workshop, th.title AS theme, pr.title, pr.description,
                       CASE WHEN pr.show_name AND NOT w.anonymous THEN p.name END AS author,
                       CASE WHEN NOT w.anonymous AND s.size >= {m} THEN p.team END AS team,
                       pr.workshop_id <> {w} AS featured, pr.hidden, pr.archived, pr.merged_into,
                       coalesce(m.do_too, 0) AS do_too, coalesce(m.want_to_try, 0) AS want_to_try, pr.created_at
                FROM practices pr JOIN workshops w ON w.id = pr.workshop_id
                JOIN participants p ON p.id = pr.participant_id JOIN themes th ON th.id = pr.theme_id
                LEFT JOIN sizes s ON s.workshop_id = pr.workshop_id AND s.team = p.team
                LEFT JOIN marks m ON m.practice_id = pr.id
                WHERE pr.workshop_id = {w}
                   OR pr.id IN (SELECT practice_id FROM featured_practices WHERE workshop_id = {w})
                ORDER BY featured, pr.id""",
            "practice_reactions": f"SELECT * FROM practice_reactions {of_workshop} ORDER BY practice_id, participant_id",
            "need_practices": f"SELECT * FROM need_practices {of_workshop} ORDER BY need_id, practice_id",
            "dot_moves": self.dot_moves_query(str(w)),
            "need_statements": f"SELECT * FROM need_statements {of_workshop} ORDER BY need_id, statement_id",
        }

    def _help_frame(self, workshop_id: int, min_team_size: int) -> pd.DataFrame:
        """Who can help whom (help_pairs), one row per pair and subject, for the exports."""
        pairs = [
            {**p, "how": "; ".join(_RAW_HOW[way].format(detail) for way, detail in p["how"])}
            for p in self.help_pairs(workshop_id, min_team_size)
        ]
        return pd.DataFrame(pairs, columns=HELP_PAIR_COLUMNS).astype(
            {"importance": "float64", "capability": "float64", "wanting": "Int64"}
        )

    def session_frames(self, workshop_id: int, min_team_size: int) -> dict[str, pd.DataFrame]:
        """Every table of one workshop as DataFrames (see _session_queries for what is left
        out), and who can help whom."""
        featured = self._featured_origins(workshop_id)
        with self._db.analytics([workshop_id, *featured]) as cur:
            frames = {
                name: cur.execute(sql).df()
                for name, sql in self._session_queries(workshop_id, min_team_size).items()
            }
        return {**frames, "help_pairs": self._help_frame(workshop_id, min_team_size)}

    def copy_session(self, workshop_id: int, directory: Path, min_team_size: int) -> dict[str, Path]:
        """Write every table of one workshop, and who can help whom, as Parquet files into `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        written = {}
        featured = self._featured_origins(workshop_id)
        with self._db.analytics([workshop_id, *featured]) as cur:
            for name, sql in self._session_queries(workshop_id, min_team_size).items():
                path = directory / f"{name}.parquet"
                cur.execute(f"COPY ({sql}) TO '{sql_path(path)}' (FORMAT parquet)")
                written[name] = path
            cur.register("help_pairs_frame", self._help_frame(workshop_id, min_team_size))
            path = directory / "help_pairs.parquet"
            cur.execute(f"COPY (SELECT * FROM help_pairs_frame) TO '{sql_path(path)}' (FORMAT parquet)")
            cur.unregister("help_pairs_frame")
            written["help_pairs"] = path
        return written

    def _featured_origins(self, workshop_id: int) -> list[int]:
        """The workshops the practices featured in this one came from."""
        return [
            r[0]
            for r in self._rows(
                "SELECT DISTINCT pr.workshop_id FROM featured_practices f JOIN practices pr ON pr.id = f.practice_id "
                "WHERE f.workshop_id = ?",
                [workshop_id],
            )
        ]

    # -- backups --------------------------------------------------------------------------

    def backup_to(self, target: Path) -> None:
        """Copy the whole database into a new DuckDB file at `target` (one consistent
        snapshot); raises CocreateError for PostgreSQL, which has tools of its own."""
        self._db.backup_to(target)


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


def backup_problem(path: Path) -> str | None:
    """What is wrong with `path` as a Cocreate backup, or None when it is whole: a DuckDB file
    that opens read-only, whose schema is one this Cocreate made (a version it knows, and the
    workshops table's own columns), and whose every table reads to its end."""
    from workshop.migrations import LATEST

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return "it is not a DuckDB file"
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        if not {"schema_version", "workshops", "needs", "dots"} <= set(tables):
            return "it does not hold Cocreate's tables"
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'workshops'"
            ).fetchall()
        }
        if not {"code", "phase", "facilitator_key_hash", "presenter_token_hash"} <= columns:
            return "its tables are not Cocreate's (another program's file with the same names)"
        (version,) = con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
        if not isinstance(version, int) or not 1 <= version <= LATEST:
            return f"its schema version ({version}) is not one this Cocreate knows (1 to {LATEST})"
        found = _columns(con)
        missing = sorted(f"{t}.{c}" for t, c in schema_columns(version) - found)
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            return f"it lacks what its schema version ({version}) has: {shown}"
        for table in tables:  # every block read: a damaged file fails here, not after the swap
            con.execute(f'SELECT * FROM "{table}"').fetchall()
    except duckdb.Error as exc:
        return f"it could not be read to its end ({type(exc).__name__})"
    finally:
        con.close()
    return None


def _columns(con: Any) -> set[tuple[str, str]]:
    return {
        (table, column)
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
    }


@functools.lru_cache(maxsize=8)
def schema_columns(version: int) -> frozenset[tuple[str, str]]:
    """Every (table, column) a DuckDB file of schema `version` holds: the migrations up to it,
    run on an empty database in memory."""
    from workshop.migrations import SCHEMA_VERSION_TABLE

    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA_VERSION_TABLE)
        for applied, run in scripts("duckdb", 0):
            if applied > version:
                break
            for sql in run:
                con.execute(sql)
        return frozenset(_columns(con))
    finally:
        con.close()


def is_cocreate_file(path: Path) -> bool:
    """Whether `path` is a DuckDB file holding a Cocreate schema (read without changing it)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return {"schema_version", "workshops", "needs", "dots"} <= tables
    finally:
        con.close()
