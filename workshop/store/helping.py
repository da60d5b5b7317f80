"""Who can help whom: teams strong on a need beside teams that need it."""

from __future__ import annotations

from typing import Any

from workshop import privacy
from workshop.model import HelpRule
from workshop.store.stories import Stories


class Helping(Stories):
    """Who can help whom: teams strong on a need beside teams that need it."""

    def help_pairs(self, workshop_id: int, least: int, rule: HelpRule) -> list[dict[str, Any]]:
        """Teams of the workshop that would learn something, each beside a team that can help.

        On a need: a team rating it important (mean importance at least `rule.important`) and
        itself weak (mean capability at most `rule.weak`) beside a team rating itself strong on
        it (at least `rule.strong`), or a team whose shared practice the need points to. A
        team's mean counts from `rule.raters` of its people. On a practice the room sees: a
        team whose people would like to try it beside the team that shared it and the teams
        that do it too (in any workshop). Only teams with at least `least` people are named, and the team that
        shared a practice only outside anonymous workshops; nothing else is shown about them.
        One row per pair and subject, saying how the helper can help (`how`: (way, detail)
        pairs, ("rates", its mean capability), ("shares", a practice's title), ("shared", None)
        or ("does", None)); needs first, the widest gap first, then practices, the most
        interest first."""
        params = {
            "w": workshop_id,
            "least": least,
            "raters": rule.raters,
            "important": rule.important,
            "weak": rule.weak,
            "strong": rule.strong,
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
