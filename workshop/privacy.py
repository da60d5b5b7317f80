"""Which groups of people a breakdown may show: the privacy threshold as SQL.

A breakdown by team (a chart, a table, a report, an export) shows a team only when at least
COCREATE_MIN_TEAM_SIZE of its people answered what the breakdown shows; the people of
smaller teams are pooled as "other", and the pool is shown only when it holds as many who
answered. Counting the people who joined would name a team of three of whom one voted.
"""

from __future__ import annotations

# Who answered what a breakdown shows (a query of participant_id, $w the workshop).
DOTTED = "SELECT participant_id FROM dots WHERE workshop_id = $w"
BACKED = "SELECT participant_id FROM backings WHERE workshop_id = $w"
PROPOSED = "SELECT participant_id FROM needs WHERE workshop_id = $w AND NOT hidden AND merged_into IS NULL"
SAID = "SELECT participant_id FROM statements WHERE workshop_id = $w AND NOT hidden"
REACTED = "SELECT participant_id FROM reactions WHERE workshop_id = $w"
CHECKED_IN = "SELECT participant_id FROM checkins WHERE workshop_id = $w"
RATED = "SELECT participant_id FROM ratings WHERE workshop_id = $w"
SHARED = "SELECT participant_id FROM practices WHERE workshop_id = $w"
MARKED = "SELECT participant_id FROM practice_reactions WHERE workshop_id = $w"
# Anything at all: an export's rows name each person's group once for every table.
ANYTHING = (DOTTED, BACKED, PROPOSED, SAID, REACTED, CHECKED_IN, RATED, SHARED, MARKED)


def answered_anything(workshop: str = "$w") -> str:
    """A query of the people who answered anything in the workshop `workshop` (an SQL
    expression: a parameter or a column of the query around it)."""
    return " UNION ".join(query.replace("$w", workshop) for query in ANYTHING)


EVERYONE = "(everyone)"  # the one group of a room too small to show by team
MEMBERS = "SELECT id, team FROM participants WHERE workshop_id = $w AND NOT removed"


def groups(*answered: str, members: str = MEMBERS, complementary: bool = True) -> str:
    """SQL of the groups a breakdown shows people in, counted over the people who answered
    what it shows (`answered`: queries of participant_id, united), $w the workshop and
    $min_team the threshold:

    - a team with at least $min_team people who answered is shown by name;
    - the people of smaller teams are pooled as "other"; when fewer than $min_team of them
      answered (but some did), the named team with the fewest who answered joins the pool,
      so that no group can be worked out from the total and the others;
    - when the room has fewer than $min_team who answered in all, nobody is shown apart:
      they are one group, EVERYONE, the room's total.

    Without `complementary` (a team beside one person's item, where no total is shown to
    subtract from), a pool too small is EVERYONE and the named teams stay named.

    `members`: a query of the people (id, team) the groups are made of, by default the
    workshop's. People without a team form the team "(no team)". The CTEs: `people` (id, team) holds
    everyone who answered and the members of the groups shown; `sizes` (team, team_size)
    the people of each group, who joined, answered or not."""
    merge = (
        "AND NOT (team IN (SELECT team FROM smallest) AND (SELECT n FROM pooled) BETWEEN 1 AND $min_team - 1)"
        if complementary
        else ""
    )
    return f"""
    members AS (SELECT id, coalesce(team, '(no team)') AS team FROM ({members}) m),
    answered AS (SELECT DISTINCT m.id, m.team FROM members m
                 JOIN ({" UNION ALL ".join(answered)}) a ON a.participant_id = m.id),
    counts AS (SELECT team, count(*) AS n FROM answered GROUP BY team),
    pooled AS (SELECT coalesce(sum(n), 0) AS n FROM counts WHERE n < $min_team),
    smallest AS (SELECT team FROM counts WHERE n >= $min_team ORDER BY n, team LIMIT 1),
    named AS (SELECT team FROM counts WHERE n >= $min_team
              {merge}),
    grouped AS (SELECT m.id, CASE WHEN m.team IN (SELECT team FROM named) THEN m.team ELSE 'other' END AS team
                FROM members m),
    shown AS (SELECT g.team FROM grouped g JOIN answered a USING (id) GROUP BY g.team HAVING count(*) >= $min_team),
    people AS (SELECT id, team FROM grouped WHERE team IN (SELECT team FROM shown)
               UNION ALL
               SELECT id, '{EVERYONE}' FROM answered WHERE id NOT IN (SELECT g.id FROM grouped g JOIN shown USING (team))),
    sizes AS (SELECT team, count(*) AS team_size FROM people GROUP BY team)
"""
