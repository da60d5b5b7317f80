"""Workshops: creating and editing them, their settings and switches, moving the room, and the
facilitator and organisation sessions that open them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from workshop.errors import WorkshopNotFound
from workshop.i18n import gettext
from workshop.model import (
    Phase,
    Theme,
    Workshop,
    WorkshopDraft,
)
from workshop.store.core import (
    _WORKSHOP_COLUMNS,
    SessionRow,
    StoreCore,
    _insert_schedule,
    _insert_teams,
    _workshop,
)


class Workshops(StoreCore):
    """Workshops: creating and editing them, their settings and switches, moving the room, and the"""

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

    def set_help_pairs_shown(self, workshop_id: int, shown: bool) -> None:
        self._set_switch(
            workshop_id, "show_help_pairs", shown, "show_help_pairs" if shown else "hide_help_pairs"
        )

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
