"""What the facilitator takes away or puts together: hiding, merging, citations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from workshop.store.needs import Needs


class Moderation(Needs):
    """What the facilitator takes away or puts together: hiding, merging, citations."""

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
