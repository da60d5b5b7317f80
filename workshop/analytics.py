"""Aggregations over one workshop: DuckDB SQL in, DataFrames and plain dicts out.

Hidden items and needs merged into others never appear here as items of their own:
a merged need's dots and backers are counted under the need it was merged into.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from workshop import i18n, privacy, record, terms
from workshop.i18n import N_, _, ngettext
from workshop.model import HelpRule, Phase
from workshop.store import Store

# Who counts as having contributed in a phase: the rows that phase writes.
_CONTRIBUTION_SQL = {
    Phase.SHARE: "SELECT participant_id FROM statements WHERE workshop_id = $w "
    "UNION SELECT participant_id FROM reactions WHERE workshop_id = $w",
    Phase.PROPOSE: "SELECT participant_id FROM needs WHERE workshop_id = $w "
    "UNION SELECT participant_id FROM backings WHERE workshop_id = $w",
    Phase.VOTE: "SELECT participant_id FROM dots WHERE workshop_id = $w "
    "UNION SELECT participant_id FROM ratings WHERE workshop_id = $w",
}

# People still in the room: what a person taken out wrote stays (hidden), and counts nowhere.
_IN_THE_ROOM = "SELECT id FROM participants WHERE workshop_id = $w AND NOT removed"

ACTIVE_WINDOW = timedelta(minutes=2)


def participation(store: Store, workshop_id: int, phase: Phase) -> dict[str, int]:
    """People joined; how many did anything in the last 2 minutes (active); how many have
    contributed in `phase` and how many not yet (contributed is 0 in lobby and after voting)."""
    sql = _CONTRIBUTION_SQL.get(phase, "SELECT NULL AS participant_id WHERE false")
    row = store.read_df(
        f"""
        SELECT (SELECT count(*) FROM participants WHERE workshop_id = $w AND NOT removed) AS joined,
               (SELECT count(DISTINCT participant_id) FROM events
                 WHERE workshop_id = $w AND participant_id IS NOT NULL AND happened_at >= $since) AS active,
               (SELECT count(DISTINCT participant_id) FROM ({sql}) c
                 WHERE participant_id IN ({_IN_THE_ROOM})) AS contributed
        """,
        {"w": workshop_id, "since": store.now() - ACTIVE_WINDOW},
    ).iloc[0]
    joined, contributed = int(row["joined"]), int(row["contributed"])
    return {
        "joined": joined,
        "active": int(row["active"]),
        "contributed": contributed,
        "not_yet": joined - contributed,
    }


# Event actions that put something into the room (joining and withdrawing do not).
CONTRIBUTIONS = ("share", "edit_statement", "react", "propose", "edit_need", "back", "place_dot", "rate")


def contributions_over_time(store: Store, workshop_id: int) -> pd.DataFrame:
    """Contributions per minute since the first one: minute, contributions (gaps filled with 0)."""
    return store.read_df(
        """
        WITH per_minute AS (
            SELECT date_trunc('minute', happened_at) AS minute, count(*) AS contributions
            FROM events WHERE workshop_id = $w AND list_contains($actions, action) GROUP BY ALL
        ),
        minutes AS (SELECT unnest(generate_series(min(minute), max(minute), INTERVAL 1 MINUTE)) AS minute
                    FROM per_minute HAVING count(*) > 0)
        SELECT m.minute, coalesce(p.contributions, 0) AS contributions
        FROM minutes m LEFT JOIN per_minute p ON p.minute = m.minute
        ORDER BY m.minute
        """,
        {"w": workshop_id, "actions": list(CONTRIBUTIONS)},
    )


def people_in_room(store: Store, workshop_id: int) -> pd.DataFrame:
    """Everyone in the room (not taken out), newest first: id, name, team, joined_at."""
    return store.read_df(
        "SELECT id, name, team, joined_at FROM participants WHERE workshop_id = $w AND NOT removed "
        "ORDER BY joined_at DESC, id DESC",
        {"w": workshop_id},
    )


def waiting_participants(store: Store, workshop_id: int, phase: Phase) -> pd.DataFrame:
    """Participants who have not contributed yet in `phase`: id, name, team."""
    sql = _CONTRIBUTION_SQL.get(phase)
    if not sql:
        return pd.DataFrame(columns=["id", "name", "team"])
    return store.read_df(
        f"SELECT id, name, team FROM participants WHERE workshop_id = $w AND NOT removed AND id NOT IN ({sql}) ORDER BY id",
        {"w": workshop_id},
    )


def needs_ranking(store: Store, workshop_id: int) -> pd.DataFrame:
    """Visible needs, most dots first (then most backers, then oldest): id, text, theme,
    dots, backers, voters."""
    return store.read_df(
        """
        WITH d AS (SELECT need_id, count(*) AS dots, count(DISTINCT participant_id) AS voters
                   FROM dots WHERE workshop_id = $w GROUP BY need_id),
             b AS (SELECT need_id, count(*) AS backers FROM backings WHERE workshop_id = $w GROUP BY need_id)
        SELECT n.id, n.text, t.title AS theme, coalesce(d.dots, 0) AS dots,
               coalesce(b.backers, 0) AS backers, coalesce(d.voters, 0) AS voters
        FROM needs n JOIN themes t ON t.id = n.theme_id
        LEFT JOIN d ON d.need_id = n.id LEFT JOIN b ON b.need_id = n.id
        WHERE n.workshop_id = $w AND NOT n.hidden AND n.merged_into IS NULL
        ORDER BY dots DESC, backers DESC, n.id
        """,
        {"w": workshop_id},
    )


def statements_per_theme(store: Store, workshop_id: int) -> pd.DataFrame:
    """Every theme with its number of visible statements: theme, statements (themes in order)."""
    return store.read_df(
        """
        SELECT t.title AS theme, count(s.id) AS statements
        FROM themes t LEFT JOIN statements s ON s.theme_id = t.id AND NOT s.hidden
        WHERE t.workshop_id = $w
        GROUP BY t.title, t.position ORDER BY t.position
        """,
        {"w": workshop_id},
    )


def statements_table(store: Store, workshop_id: int, min_team_size: int = 1) -> pd.DataFrame:
    """Visible statements with their reactions: theme, text, team (the author's team when at
    least `min_team_size` of its people took part in anything, as the room's bylines name
    teams; "other" for the rest when as many of them took part; else none), agree, disagree,
    pass."""
    return store.read_df(
        f"""
        WITH {privacy.groups(*privacy.ANYTHING, complementary=False)}
        SELECT t.title AS theme, s.text, nullif(p.team, '{privacy.EVERYONE}') AS team,
               count(*) FILTER (WHERE r.kind = 'agree') AS agree,
               count(*) FILTER (WHERE r.kind = 'disagree') AS disagree,
               count(*) FILTER (WHERE r.kind = 'pass') AS pass
        FROM statements s
        JOIN themes t ON t.id = s.theme_id
        LEFT JOIN people p ON p.id = s.participant_id
        LEFT JOIN reactions r ON r.statement_id = s.id
        WHERE s.workshop_id = $w AND NOT s.hidden
        GROUP BY t.title, t.position, s.id, s.text, p.team
        ORDER BY t.position, agree DESC, s.id
        """,
        {"w": workshop_id, "min_team": min_team_size},
    )


def votes_cast(store: Store, workshop_id: int) -> dict[str, int]:
    """Dots placed and people who placed any: what the room may see while results are hidden."""
    df = store.read_df(
        "SELECT count(*) AS dots, count(DISTINCT participant_id) AS voters FROM dots WHERE workshop_id = $w",
        {"w": workshop_id},
    )
    return {"dots": int(df["dots"].iloc[0]), "voters": int(df["voters"].iloc[0])}


def visible_counts(store: Store, workshop_id: int) -> dict[str, int]:
    """How many statements and needs participants can see now (to tell them something is new),
    and how many people have joined: a small read of the store, not of the analytics mirror."""
    return store.visible_counts(workshop_id)


def summary(store: Store, workshop_id: int) -> dict[str, Any]:
    """The session summary as plain data (the CLI prints it as JSON; Review shows it).

    `needs` lists every need that was not merged into another, hidden ones flagged;
    a merged need's dots and backers are counted under its target, listed in `merged_from`;
    `dots_moved_after_reveal` says how votes moved once the counts were shown (votes_moved);
    `statements_per_need` how many shown statements each need cites (listed in its `cites`).
    """
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise KeyError(workshop_id)
    themes = {t.id: t.title for t in workshop.themes}
    needs = store.needs(workshop_id, include_hidden=True)
    said = {s.id: s.text for s in store.statements(workshop_id)}  # shown statements only
    cited = {n: [i for i in ids if i in said] for n, ids in store.need_statements(workshop_id).items()}
    counts = store.read_df(
        """
        SELECT
          (SELECT count(*) FROM participants WHERE workshop_id = $w AND NOT removed) AS participants,
          (SELECT count(*) FROM statements WHERE workshop_id = $w AND NOT hidden) AS statements,
          (SELECT count(*) FROM reactions r JOIN statements s ON s.id = r.statement_id
            WHERE r.workshop_id = $w AND NOT s.hidden) AS reactions,
          (SELECT count(*) FROM dots WHERE workshop_id = $w) AS dots_total,
          (SELECT count(DISTINCT participant_id) FROM dots WHERE workshop_id = $w) AS voters,
          (SELECT count(*) FROM backings WHERE workshop_id = $w) AS backings
        """,
        {"w": workshop_id},
    ).iloc[0]
    return {
        "code": workshop.code,
        "title": workshop.title,
        "phase": workshop.phase.value,
        "participants": int(counts["participants"]),
        "statements": int(counts["statements"]),
        "reactions": int(counts["reactions"]),
        "needs_count": sum(1 for n in needs if not n.hidden),
        "dots_total": int(counts["dots_total"]),
        "voters": int(counts["voters"]),
        "dot_budget": workshop.dot_budget,
        "per_need_cap": workshop.per_need_cap,
        "dots_moved_after_reveal": {
            k: v for k, v in votes_moved(store, workshop_id).items() if k != "per_need"
        },
        "statements_per_need": {str(n): len(ids) for n, ids in cited.items() if ids},
        "needs": [
            {
                "id": n.id,
                "text": n.text,
                "theme": themes.get(n.theme_id, ""),
                "dots": n.dots,
                "backers": n.backers,
                "hidden": n.hidden,
                "merged_from": list(n.merged_from),
                "cites": [{"id": i, "text": said[i]} for i in cited.get(n.id, [])],
            }
            for n in needs
        ],
    }


def importance_capability(store: Store, workshop_id: int) -> pd.DataFrame:
    """Per visible need with at least one rating: mean and spread of importance and of
    current capability, the number of raters, and the need's dots (the bubble size)."""
    return store.read_df(
        """
        WITH rated AS (SELECT need_id, avg(importance) AS importance, coalesce(stddev_samp(importance), 0) AS importance_sd,
                              avg(capability) AS capability, coalesce(stddev_samp(capability), 0) AS capability_sd,
                              count(*) AS raters
                       FROM ratings WHERE workshop_id = $w GROUP BY need_id
                       HAVING count(importance) > 0 AND count(capability) > 0),
             d AS (SELECT need_id, count(*) AS dots FROM dots WHERE workshop_id = $w GROUP BY need_id)
        SELECT n.id, n.text, r.importance, r.importance_sd, r.capability, r.capability_sd, r.raters,
               coalesce(d.dots, 0) AS dots
        FROM needs n JOIN rated r ON r.need_id = n.id LEFT JOIN d ON d.need_id = n.id
        WHERE n.workshop_id = $w AND NOT n.hidden AND n.merged_into IS NULL
        ORDER BY dots DESC, n.id
        """,
        {"w": workshop_id},
    )


def support_by_team(store: Store, workshop_id: int, min_team_size: int = 1) -> pd.DataFrame:
    """Per visible need and team: id, text, team, team_size, supporters (authored, backed or
    dotted it) and dots; and the need's backers (the same on each of its rows). Every group
    shown appears for every need, with 0 where nobody supports it.

    The groups are counted over the people who proposed, backed or voted (privacy.groups:
    teams with fewer than `min_team_size` of them pooled as "other", the room as one group
    with no team when it has fewer in all); everyone's dots are in some group.
    """
    return store.read_df(
        f"""
        WITH {privacy.groups(privacy.DOTTED, privacy.BACKED, privacy.PROPOSED)},
             per_person AS (SELECT need_id, participant_id, count(*) AS dots FROM dots
                            WHERE workshop_id = $w GROUP BY ALL),
             other_support AS (SELECT need_id, participant_id FROM backings WHERE workshop_id = $w
                               UNION SELECT id, participant_id FROM needs WHERE workshop_id = $w),
             support AS (SELECT need_id, participant_id, coalesce(per_person.dots, 0) AS dots
                         FROM per_person FULL JOIN other_support USING (need_id, participant_id)),
             by_team AS (SELECT s.need_id, p.team, count(*) AS supporters, sum(s.dots) AS dots
                         FROM support s JOIN people p ON p.id = s.participant_id GROUP BY ALL),
             backers AS (SELECT need_id, count(*) AS backers FROM backings WHERE workshop_id = $w GROUP BY need_id)
        SELECT n.id, n.text, sizes.team, sizes.team_size,
               coalesce(b.supporters, 0) AS supporters, coalesce(b.dots, 0) AS dots,
               coalesce(k.backers, 0) AS backers
        FROM needs n CROSS JOIN sizes
        LEFT JOIN by_team b ON b.need_id = n.id AND b.team = sizes.team
        LEFT JOIN backers k ON k.need_id = n.id
        WHERE n.workshop_id = $w AND NOT n.hidden AND n.merged_into IS NULL
        ORDER BY n.id, sizes.team
        """,
        {"w": workshop_id, "min_team": min_team_size},
    )


def ranking_order(by_team: pd.DataFrame) -> list[int]:
    """Need ids in ranking order (as needs_ranking) from support_by_team's rows: most dots,
    then most backers, then oldest."""
    dots: dict[int, int] = {}
    backers: dict[int, int] = {}
    for need_id, need_dots, need_backers in zip(
        by_team["id"].tolist(), by_team["dots"].tolist(), by_team["backers"].tolist(), strict=True
    ):
        dots[need_id] = dots.get(need_id, 0) + need_dots
        backers[need_id] = need_backers
    return sorted(dots, key=lambda need_id: (-dots[need_id], -backers[need_id], need_id))


def consensus(by_team: pd.DataFrame) -> pd.DataFrame:
    """How alike the support for each item (need or statement) is across teams: id, text,
    support, consensus. `by_team` comes from support_by_team or statement_support_by_team.

    For each team t, share_t = supporters_t / team_size_t. With m the mean and s the
    population standard deviation of the shares over all teams,

        consensus = clip(1 - s / m, 0, 1)      (0 when nobody supports the need)

    Every team equally behind a need gives 1; support from one team of several gives 0
    (for two teams, s / m = 1; for more, s / m > 1). `support` is the overall share of people
    who support the need.
    """
    if by_team.empty:
        return pd.DataFrame(columns=["id", "text", "support", "consensus"])
    # Per-item sums over consecutive rows (the table is ordered by item), in NumPy.
    ordered = by_team.sort_values("id", kind="stable")
    ids = ordered["id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    supporters = ordered["supporters"].to_numpy(dtype=float)
    sizes = ordered["team_size"].to_numpy(dtype=float)
    share = supporters / sizes
    teams = np.diff(np.r_[starts, len(ids)])
    mean = np.add.reduceat(share, starts) / teams
    spread = np.sqrt(np.clip(np.add.reduceat(share * share, starts) / teams - mean**2, 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(mean > 0, np.clip(1 - spread / mean, 0, 1), 0.0)
    return pd.DataFrame(
        {
            "id": ids[starts],
            "text": ordered["text"].to_numpy()[starts],
            "support": np.add.reduceat(supporters, starts) / np.add.reduceat(sizes, starts),
            "consensus": score,
        }
    )


def agreement(store: Store, workshop_id: int) -> pd.DataFrame:
    """Per visible statement: agree, disagree and pass counts, most reactions first."""
    return store.read_df(
        """
        SELECT s.id, s.text,
               count(*) FILTER (WHERE r.kind = 'agree') AS agree,
               count(*) FILTER (WHERE r.kind = 'disagree') AS disagree,
               count(*) FILTER (WHERE r.kind = 'pass') AS pass
        FROM statements s LEFT JOIN reactions r ON r.statement_id = s.id
        WHERE s.workshop_id = $w AND NOT s.hidden
        GROUP BY s.id, s.text
        ORDER BY count(r.kind) DESC, s.id
        """,
        {"w": workshop_id},
    )


def statement_support_by_team(store: Store, workshop_id: int, min_team_size: int = 1) -> pd.DataFrame:
    """Per visible statement and team: id, text, team, team_size, supporters (its author and
    those who agreed). Groups from the people who wrote or reacted (privacy.groups)."""
    return store.read_df(
        f"""
        WITH {privacy.groups(privacy.SAID, privacy.REACTED)},
             visible AS (SELECT id, text, participant_id FROM statements WHERE workshop_id = $w AND NOT hidden),
             support AS (SELECT id AS statement_id, participant_id FROM visible
                         UNION SELECT statement_id, participant_id FROM reactions
                         WHERE workshop_id = $w AND kind = 'agree'),
             supported AS (SELECT s.statement_id, p.team, count(*) AS supporters
                           FROM support s JOIN people p ON p.id = s.participant_id GROUP BY ALL)
        SELECT v.id, v.text, s.team, s.team_size, coalesce(sp.supporters, 0) AS supporters
        FROM visible v CROSS JOIN sizes s
        LEFT JOIN supported sp ON sp.statement_id = v.id AND sp.team = s.team
        ORDER BY v.id, s.team
        """,
        {"w": workshop_id, "min_team": min_team_size},
    )


def statements_version(store: Store, workshop_id: int) -> tuple[Any, ...]:
    """A value that changes whenever a statement is added, edited, withdrawn, hidden or shown
    (reactions leave it alone), so work on statement texts can be kept until it changes."""
    row = store.read_df(
        """
        SELECT count(*) AS n, max(id) AS last_id, max(updated_at) AS last_edit,
               count(*) FILTER (WHERE hidden) AS hidden, sum(id) FILTER (WHERE NOT hidden) AS visible_ids
        FROM statements WHERE workshop_id = $w
        """,
        {"w": workshop_id},
    ).iloc[0]
    return tuple(None if pd.isna(v) else v for v in row.tolist())


def key_terms(store: Store, workshop_id: int, top: int = 8) -> pd.DataFrame:
    """The key terms of each theme's visible statements: theme, term, weight, count."""
    statements = store.read_df(
        """
        SELECT t.title AS theme, s.text FROM statements s JOIN themes t ON t.id = s.theme_id
        WHERE s.workshop_id = $w AND NOT s.hidden ORDER BY t.position, s.id
        """,
        {"w": workshop_id},
    )
    return terms.key_terms(statements, top=top)


def recent_statements(store: Store, workshop_id: int, limit: int = 12) -> pd.DataFrame:
    """The latest visible statements, newest first: id, theme, text."""
    return store.read_df(
        """
        SELECT s.id, t.title AS theme, s.text FROM statements s JOIN themes t ON t.id = s.theme_id
        WHERE s.workshop_id = $w AND NOT s.hidden ORDER BY s.created_at DESC, s.id DESC LIMIT $n
        """,
        {"w": workshop_id, "n": limit},
    )


def recent_needs(store: Store, workshop_id: int, limit: int = 8) -> pd.DataFrame:
    """The latest visible needs, newest first: id, theme, text, backers."""
    return store.read_df(
        """
        SELECT n.id, t.title AS theme, n.text,
               (SELECT count(*) FROM backings b WHERE b.need_id = n.id) AS backers
        FROM needs n JOIN themes t ON t.id = n.theme_id
        WHERE n.workshop_id = $w AND NOT n.hidden AND n.merged_into IS NULL
        ORDER BY n.created_at DESC, n.id DESC LIMIT $n
        """,
        {"w": workshop_id, "n": limit},
    )


def contributors(store: Store, workshop_id: int) -> int:
    """People in the room who contributed anything: a statement, reaction, need, backing,
    dot or rating."""
    sql = " UNION ".join(f"({part})" for part in _CONTRIBUTION_SQL.values())
    df = store.read_df(
        f"SELECT count(DISTINCT participant_id) AS n FROM ({sql}) c WHERE participant_id IN ({_IN_THE_ROOM})",
        {"w": workshop_id},
    )
    return int(df["n"].iloc[0])


def moderation_log(store: Store, workshop_id: int) -> pd.DataFrame:
    """Every moderation of the workshop, oldest first, as people read it in the language in
    force: at, who, action (what was done), item (what it was done to) and detail (into
    what, what it took back): every hide and show, merge and its undoing, removal of a
    person, archived practice and deleted follow-up action, read from the event log."""
    rows = store.read_df(
        f"""
        SELECT e.happened_at AS at, e.actor, e.action, e.detail,
               coalesce(n.text, s.text, pr.title, st.tried, json_extract_string(e.detail, '$.title')) AS item,
               CASE WHEN NOT w.anonymous THEN p.name END AS person,
               coalesce(t.text, tp.title) AS other
        FROM events e
        JOIN workshops w ON w.id = e.workshop_id
        LEFT JOIN needs n ON n.id = e.subject_id AND e.action LIKE '%need%'
        LEFT JOIN statements s ON s.id = e.subject_id AND e.action LIKE '%statement'
        LEFT JOIN practices pr ON pr.id = e.subject_id AND e.action LIKE '%practice'
        LEFT JOIN practice_stories st ON st.id = e.subject_id AND e.action LIKE '%story'
        LEFT JOIN participants p ON p.id = e.subject_id AND e.action = 'remove_participant'
        LEFT JOIN needs t ON e.action IN ('merge_needs', 'unmerge_need')
             AND t.id = TRY_CAST(coalesce(json_extract(e.detail, '$.into'), json_extract(e.detail, '$.from')) AS INTEGER)
        LEFT JOIN practices tp ON e.action = 'merge_practice'
             AND tp.id = TRY_CAST(json_extract(e.detail, '$.into') AS INTEGER)
        WHERE e.workshop_id = $w AND e.action IN ({", ".join(f"'{a}'" for a in record.MODERATION)})
        ORDER BY e.id
        """,
        {"w": workshop_id},
    )
    shown = [
        {
            "at": row.at,
            "who": _(record.WHO[row.actor]) if row.actor in record.WHO else row.actor,
            "action": _(record.DONE[row.action]),
            "item": record.text_of(row.person)
            or (_("a participant") if row.action == "remove_participant" else record.text_of(row.item)),
            "detail": record.detail(
                row.action, json.loads(row.detail) if isinstance(row.detail, str) else {}, row.other
            ),
        }
        for row in rows.itertuples(index=False)
    ]
    return pd.DataFrame(shown, columns=["at", "who", "action", "item", "detail"])


def needs_across(store: Store, workshop_ids: list[int]) -> pd.DataFrame:
    """Visible needs of several workshops: id, text, workshop_id, workshop, code, held_on,
    dots, backers, dot_share (of the workshop's dots)."""
    if not workshop_ids:
        return pd.DataFrame(
            columns=[
                "id",
                "text",
                "workshop_id",
                "workshop",
                "code",
                "held_on",
                "dots",
                "backers",
                "dot_share",
            ]
        )
    return store.read_df(
        """
        WITH d AS (SELECT need_id, count(*) AS dots FROM dots WHERE list_contains($ws, workshop_id) GROUP BY need_id),
             b AS (SELECT need_id, count(*) AS backers FROM backings WHERE list_contains($ws, workshop_id) GROUP BY need_id),
             totals AS (SELECT workshop_id, count(*) AS dots FROM dots WHERE list_contains($ws, workshop_id) GROUP BY ALL)
        SELECT n.id, n.text, w.id AS workshop_id, w.title AS workshop, w.code, w.created_at::DATE AS held_on,
               coalesce(d.dots, 0) AS dots, coalesce(b.backers, 0) AS backers,
               coalesce(d.dots, 0) / greatest(coalesce(t.dots, 0), 1) AS dot_share
        FROM needs n JOIN workshops w ON w.id = n.workshop_id
        LEFT JOIN d ON d.need_id = n.id LEFT JOIN b ON b.need_id = n.id LEFT JOIN totals t ON t.workshop_id = w.id
        WHERE list_contains($ws, n.workshop_id) AND NOT n.hidden AND n.merged_into IS NULL
        ORDER BY w.created_at, n.id
        """,
        {"ws": list(workshop_ids)},
    )


ACROSS_MEMBERS = "SELECT id, team FROM participants WHERE list_contains($ws, workshop_id) AND NOT removed"
ACROSS_DOTTED = "SELECT participant_id FROM dots WHERE list_contains($ws, workshop_id)"


def dots_by_team_across(store: Store, workshop_ids: list[int], min_team_size: int = 1) -> pd.DataFrame:
    """Dots per visible need and team over several workshops: need_id, team, dots. Teams are
    matched by name across workshops and grouped by the people who voted in them
    (privacy.groups: small teams pooled as "other", no team when too few voted in all)."""
    if not workshop_ids:
        return pd.DataFrame(columns=["need_id", "team", "dots"])
    return store.read_df(
        f"""
        WITH {privacy.groups(ACROSS_DOTTED, members=ACROSS_MEMBERS)}
        SELECT d.need_id, pe.team, count(*) AS dots
        FROM dots d JOIN people pe ON pe.id = d.participant_id
        JOIN needs n ON n.id = d.need_id AND NOT n.hidden AND n.merged_into IS NULL
        WHERE list_contains($ws, d.workshop_id)
        GROUP BY ALL ORDER BY d.need_id, pe.team
        """,
        {"ws": list(workshop_ids), "min_team": min_team_size},
    )


# Who can help whom (Store.help_pairs applies it): a team that rates a need at least 4 of 5
# important and its own capability at most 2.5 would learn it from a team rating itself at
# least 4; a team's mean counts from two of its people.
HELP_RULE = HelpRule(important=4.0, weak=2.5, strong=4.0, raters=2)
HELP_COLUMNS = ["team", "would learn", "because", "from"]


def who_can_help(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store.help_pairs grouped by the team that would learn and what: one row each, with
    why (its own ratings, or how many of its people would like to try the practice) and
    the teams that can help, each saying how."""
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for pair in pairs:
        need = pair["kind"] == "need"
        row = grouped.setdefault(
            (pair["kind"], pair["about_id"], pair["learner"]),
            {
                "team": pair["learner"],
                "would learn": (_("Need: {need}") if need else _("Practice: {practice}")).format(
                    need=pair["about"], practice=pair["about"]
                ),
                "because": (
                    _("rates it {importance} important, its capability {capability}").format(
                        importance=i18n.format_number(pair["importance"]),
                        capability=i18n.format_number(pair["capability"]),
                    )
                    if need
                    else ngettext(
                        "{n} person wants to try it", "{n} people want to try it", pair["wanting"]
                    ).format(n=pair["wanting"])
                ),
                "from": [],
            },
        )
        row["from"].append(f"{pair['helper']} ({how_they_help(pair['how'])})")
    return [{**row, "from": ", ".join(row["from"])} for row in grouped.values()]


_HOW = {
    "rates": N_("rates its capability {detail}"),
    "shares": N_("shares “{detail}”"),
    "shared": N_("shared it"),
    "does": N_("does it too"),
}


def how_they_help(ways: tuple[tuple[str, Any], ...]) -> str:
    """Store.help_pairs' `how` in the reader's language: "rates its capability 4,7; shares …"."""
    return "; ".join(
        _(_HOW[way]).format(detail=i18n.format_number(detail) if isinstance(detail, float) else detail)
        for way, detail in ways
    )


LEADING = 3  # the needs "leading at the reveal": the first three by the dots placed before it


def votes_moved(store: Store, workshop_id: int, leading: int = LEADING) -> dict[str, Any]:
    """How dots moved once the counts were shown (an anchoring measure), from the dot log
    (Store.dot_moves_query): `moved`, the dots placed or taken back after the reveal;
    `toward_leaders`, those of them placed on a need leading at the reveal or taken back from
    one that was not; `leaders`, those needs (the first `leading` by the dots placed before
    the reveal); `shown_from_start`, whether the counts were visible from the first dot (no
    reveal to measure); `per_need`, need_id, text, change (net after the reveal), leader.
    The log is summed per need in the database: a room's whole log never leaves it."""
    per_need = store.read_df(
        f"""
        WITH log AS ({store.dot_moves_query("$w")}),
             per AS (SELECT need_id,
                            count(*) FILTER (NOT revealed) AS logged_before,
                            coalesce(sum(change) FILTER (NOT revealed), 0) AS before,
                            count(*) FILTER (revealed AND change > 0) AS placed_after,
                            count(*) FILTER (revealed AND change < 0) AS taken_after
                     FROM log GROUP BY need_id)
        SELECT per.*, coalesce(n.text, '#' || per.need_id) AS text
        FROM per LEFT JOIN needs n ON n.id = per.need_id
        ORDER BY per.need_id
        """,
        {"w": workshop_id},
    )
    rows = per_need.to_dict("records")
    ranked = sorted((-int(r["before"]), int(r["need_id"])) for r in rows if r["before"] > 0)
    leaders = [need for _, need in ranked[:leading]]
    after = [r for r in rows if r["placed_after"] or r["taken_after"]]
    toward = sum(r["placed_after"] if r["need_id"] in leaders else r["taken_after"] for r in after)
    moved = pd.DataFrame(
        {
            "need_id": [int(r["need_id"]) for r in after],
            "change": [int(r["placed_after"] - r["taken_after"]) for r in after],
            "text": [r["text"] for r in after],
            "leader": [r["need_id"] in leaders for r in after],
        }
    )
    return {
        "moved": int(sum(r["placed_after"] + r["taken_after"] for r in after)),
        "toward_leaders": int(toward),
        "leaders": leaders,
        "shown_from_start": not any(r["logged_before"] for r in rows) and bool(after),
        "per_need": moved.sort_values(["change", "need_id"], ascending=[False, True], kind="stable"),
    }


def theme_by_team(store: Store, workshop_id: int, min_team_size: int = 1) -> pd.DataFrame:
    """What each team said and needed per strategy theme: theme, position, team, team_size,
    statements, needs (proposed) and dots (placed on the theme's needs), every theme for
    every group (0 where nothing). Groups from the people who wrote, proposed or voted
    (privacy.groups)."""
    return store.read_df(
        f"""
        WITH {privacy.groups(privacy.SAID, privacy.PROPOSED, privacy.DOTTED)},
             said AS (SELECT s.theme_id, p.team, count(*) AS statements FROM statements s
                      JOIN people p ON p.id = s.participant_id
                      WHERE s.workshop_id = $w AND NOT s.hidden GROUP BY ALL),
             needed AS (SELECT n.theme_id, p.team, count(*) AS needs FROM needs n
                        JOIN people p ON p.id = n.participant_id
                        WHERE n.workshop_id = $w AND NOT n.hidden AND n.merged_into IS NULL GROUP BY ALL),
             dotted AS (SELECT n.theme_id, p.team, count(*) AS dots FROM dots d
                        JOIN needs n ON n.id = d.need_id JOIN people p ON p.id = d.participant_id
                        WHERE d.workshop_id = $w GROUP BY ALL)
        SELECT t.title AS theme, t.position, sizes.team, sizes.team_size,
               coalesce(said.statements, 0) AS statements, coalesce(needed.needs, 0) AS needs,
               coalesce(dotted.dots, 0) AS dots
        FROM themes t CROSS JOIN sizes
        LEFT JOIN said ON said.theme_id = t.id AND said.team = sizes.team
        LEFT JOIN needed ON needed.theme_id = t.id AND needed.team = sizes.team
        LEFT JOIN dotted ON dotted.theme_id = t.id AND dotted.team = sizes.team
        WHERE t.workshop_id = $w
        ORDER BY t.position, sizes.team
        """,
        {"w": workshop_id, "min_team": min_team_size},
    )


def checkin_change(store: Store, workshop_id: int, min_team_size: int = 1) -> pd.DataFrame:
    """How capability moved from the workshop to the check-in, per need and team, counting
    only the people who rated the need at the workshop and again at the check-in: id, text,
    team, people, before and after (their mean capability, 1–5). Groups from the people who
    checked in (privacy.groups); a row only where at least `min_team_size` people answered."""
    return store.read_df(
        f"""
        WITH {privacy.groups(privacy.CHECKED_IN)},
             again AS (SELECT c.need_id, p.team, r.capability AS before, c.capability AS after
                       FROM checkins c
                       JOIN ratings r ON r.need_id = c.need_id AND r.participant_id = c.participant_id
                       JOIN people p ON p.id = c.participant_id
                       WHERE c.workshop_id = $w AND r.capability IS NOT NULL)
        SELECT n.id, n.text, again.team, count(*) AS people,
               avg(again.before) AS before, avg(again.after) AS after
        FROM again JOIN needs n ON n.id = again.need_id
        WHERE NOT n.hidden
        GROUP BY n.id, n.text, again.team
        HAVING count(*) >= $min_team  -- a mean of fewer would be a few people's own answers
        ORDER BY n.id, again.team
        """,
        {"w": workshop_id, "min_team": min_team_size},
    )


def participation_by_day(store: Store, workshop_id: int, time_zone: str) -> pd.DataFrame:
    """Per day of the workshop's time zone since the first join: day, joined (people who
    joined that day), took part (people in the room who added anything that day)."""
    joined = store.read_df(
        "SELECT joined_at AS at FROM participants WHERE workshop_id = $w AND NOT removed", {"w": workshop_id}
    )
    acted = store.read_df(
        f"""SELECT participant_id, happened_at AS at FROM events
            WHERE workshop_id = $w AND list_contains($actions, action) AND participant_id IN ({_IN_THE_ROOM})""",
        {"w": workshop_id, "actions": [*CONTRIBUTIONS, "share_practice", "react_to_practice"]},
    )
    columns = ["day", "joined", "took_part"]
    if joined.empty:
        return pd.DataFrame(columns=columns)

    def days(at: pd.Series) -> pd.Series:
        return pd.to_datetime(at).dt.tz_localize("UTC").dt.tz_convert(time_zone).dt.date

    joined_per_day = joined.assign(day=days(joined["at"])).groupby("day").size()
    acting_per_day = (
        acted.assign(day=days(acted["at"])).groupby("day")["participant_id"].nunique()
        if not acted.empty
        else pd.Series(dtype=int)
    )
    first, last = min(joined_per_day.index), max([*joined_per_day.index, *acting_per_day.index])
    every = pd.date_range(first, last, freq="D").date
    return pd.DataFrame(
        {
            "day": every,
            "joined": [int(joined_per_day.get(d, 0)) for d in every],
            "took_part": [int(acting_per_day.get(d, 0)) for d in every],
        },
        columns=columns,
    )


def participation_by_team(store: Store, workshop_id: int, min_team_size: int) -> pd.DataFrame:
    """Per team: people joined, took part (added anything at all) and not yet. A team of fewer
    than `min_team_size` people is pooled with the other small ones as "other"; a pool still
    smaller than that is left out (the room's totals hold it), so no row is one or two people."""
    sql = " UNION ".join(f"({part})" for part in _CONTRIBUTION_SQL.values())
    people = store.read_df(
        f"""SELECT coalesce(p.team, '') AS team, p.id IN (SELECT participant_id FROM ({sql}) c) AS took_part
            FROM participants p WHERE p.workshop_id = $w AND NOT p.removed""",
        {"w": workshop_id},
    )
    columns = ["team", "joined", "took_part", "not_yet"]
    if people.empty:
        return pd.DataFrame(columns=columns)
    sizes = people.groupby("team").size()
    people["team"] = [t if t and sizes[t] >= min_team_size else OTHER_TEAMS for t in people["team"]]
    table = (
        people.groupby("team").agg(joined=("took_part", "size"), took_part=("took_part", "sum")).reset_index()
    )
    table = table[table["joined"] >= min_team_size]
    table["took_part"] = table["took_part"].astype(int)
    table["not_yet"] = table["joined"] - table["took_part"]
    table["team"] = [_(OTHER_TEAMS) if t == OTHER_TEAMS else t for t in table["team"]]
    return table.sort_values(["not_yet", "team"], ascending=[False, True])[columns].reset_index(drop=True)


OTHER_TEAMS = N_("other teams")  # small teams, pooled
