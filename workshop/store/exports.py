"""A session's tables as they may leave the building, and backups of the DuckDB file."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from workshop import privacy
from workshop.backends import sql_path
from workshop.migrations import SCHEMA_VERSION_TABLE, scripts
from workshop.model import HelpRule
from workshop.store.core import (
    _RAW_HOW,
    HELP_PAIR_COLUMNS,
)
from workshop.store.follow_ups import FollowUps


class Exports(FollowUps):
    """A session's tables as they may leave the building, and backups of the DuckDB file."""

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

    def _help_frame(self, workshop_id: int, min_team_size: int, rule: HelpRule) -> pd.DataFrame:
        """Who can help whom (help_pairs), one row per pair and subject, for the exports."""
        pairs = [
            {**p, "how": "; ".join(_RAW_HOW[way].format(detail) for way, detail in p["how"])}
            for p in self.help_pairs(workshop_id, min_team_size, rule)
        ]
        return pd.DataFrame(pairs, columns=HELP_PAIR_COLUMNS).astype(
            {"importance": "float64", "capability": "float64", "wanting": "Int64"}
        )

    def session_frames(self, workshop_id: int, min_team_size: int, rule: HelpRule) -> dict[str, pd.DataFrame]:
        """Every table of one workshop as DataFrames (see _session_queries for what is left
        out), and who can help whom by `rule`."""
        featured = self._featured_origins(workshop_id)
        with self._db.analytics([workshop_id, *featured]) as cur:
            frames = {
                name: cur.execute(sql).df()
                for name, sql in self._session_queries(workshop_id, min_team_size).items()
            }
        return {**frames, "help_pairs": self._help_frame(workshop_id, min_team_size, rule)}

    def copy_session(
        self, workshop_id: int, directory: Path, min_team_size: int, rule: HelpRule
    ) -> dict[str, Path]:
        """Write every table of one workshop, and who can help whom by `rule`, as Parquet
        files into `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        written = {}
        featured = self._featured_origins(workshop_id)
        with self._db.analytics([workshop_id, *featured]) as cur:
            for name, sql in self._session_queries(workshop_id, min_team_size).items():
                path = directory / f"{name}.parquet"
                cur.execute(f"COPY ({sql}) TO '{sql_path(path)}' (FORMAT parquet)")
                written[name] = path
            cur.register("help_pairs_frame", self._help_frame(workshop_id, min_team_size, rule))
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

    def backup_to(self, target: Path) -> None:
        """Copy the whole database into a new DuckDB file at `target` (one consistent
        snapshot); raises CocreateError for PostgreSQL, which has tools of its own."""
        self._db.backup_to(target)


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
