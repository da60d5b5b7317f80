"""The people of a workshop: joining, links, teams, removal."""

from __future__ import annotations

from typing import Any

from workshop.model import (
    Participant,
)
from workshop.store.core import (
    ViewerState,
)
from workshop.store.schedule import Schedules


class People(Schedules):
    """The people of a workshop: joining, links, teams, removal."""

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
