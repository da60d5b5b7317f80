"""How votes moved after the reveal: every dot placed and taken back is logged with the phase
and whether the counts were shown; the anchoring measure counts the dots that moved after
the reveal and those that moved toward the needs leading then. On both backends."""

from __future__ import annotations

import json

from tests.conftest import make_room
from workshop import actions, analytics, exports, review
from workshop.analytics import HELP_RULE
from workshop.model import Phase
from workshop.screens import present_screen
from workshop.store import Store


def test_dots_moved_after_the_reveal_are_counted_from_the_log_and_shown_everywhere(store: Store):
    room = make_room(store, participants=5)
    a, b, c, d, e = room.people
    room.to(Phase.PROPOSE)
    first, second, third, fourth = (
        actions.propose(store, person, room.theme_ids[0], text)
        for person, text in ((a, "Chat writing"), (b, "Coaching"), (c, "Data literacy"), (d, "Negotiation"))
    )
    room.to(Phase.VOTE)
    for person, need in ((a, first), (b, first), (c, first), (d, second), (e, second), (a, third)):
        actions.place_dot(store, person, need)
    assert analytics.votes_moved(store, room.workshop.id)["moved"] == 0
    assert (
        review.session_summary(store, room.workshop.id, 3).moved_line == "The results have not been revealed."
    )

    actions.reveal_results(store, room.access)
    actions.remove_dot(store, a, third)  # from a leader (third is the third leading): away from them
    actions.place_dot(store, a, first)  # onto the leader: toward
    actions.place_dot(store, b, fourth)  # onto one that was not leading: away
    actions.remove_dot(store, b, fourth)  # taken back from it: toward
    actions.place_dot(store, c, second)  # toward

    moved = analytics.votes_moved(store, room.workshop.id)
    assert moved["leaders"] == [first, second, third]
    assert (moved["moved"], moved["toward_leaders"]) == (5, 3)
    # The same from the log, in SQL: the dot events after the reveal, and those toward the three.
    counted = store.read_df(
        """
        WITH log AS (SELECT id, action, subject_id FROM events
                     WHERE workshop_id = $w AND action IN ('place_dot', 'remove_dot')),
             reveal AS (SELECT min(id) AS at FROM events WHERE workshop_id = $w AND action = 'reveal'),
             before AS (SELECT subject_id, sum(CASE action WHEN 'place_dot' THEN 1 ELSE -1 END) AS dots
                        FROM log, reveal WHERE log.id < reveal.at GROUP BY subject_id),
             leaders AS (SELECT subject_id FROM before WHERE dots > 0 ORDER BY dots DESC, subject_id LIMIT 3)
        SELECT count(*) AS moved,
               count(*) FILTER (WHERE (action = 'place_dot') = (subject_id IN (SELECT subject_id FROM leaders)))
                 AS toward
        FROM log, reveal WHERE log.id > reveal.at
        """,
        {"w": room.workshop.id},
    ).iloc[0]
    assert (int(counted["moved"]), int(counted["toward"])) == (moved["moved"], moved["toward_leaders"])

    line = "5 dots moved after the reveal, 3 toward the leaders"
    room.to(Phase.RESULTS)
    screen = present_screen(store, room.workshop.id)
    assert dict(screen.charts)["moved"].layout.title.text == line
    summary = review.session_summary(store, room.workshop.id, 3)
    assert summary.moved_line.startswith(
        "5 dots moved after the reveal, 3 toward the needs leading at the reveal"
    )
    assert "5 dots moved after the reveal" in exports.html_report(summary, [])
    assert json.loads(json.dumps(analytics.summary(store, room.workshop.id)))["dots_moved_after_reveal"] == {
        "moved": 5,
        "toward_leaders": 3,
        "leaders": [first, second, third],
        "shown_from_start": False,
    }
    log = store.session_frames(room.workshop.id, 3, HELP_RULE)["dot_moves"]
    assert list(log["change"]) == [1, 1, 1, 1, 1, 1, -1, 1, 1, -1, 1]
    assert list(log["revealed"]) == [False] * 6 + [True] * 5 and set(log["phase"]) == {"vote"}


def test_counts_shown_from_the_first_dot_leave_no_reveal_to_measure(store: Store):
    room = make_room(store, participants=2, hide_results=False)
    room.to(Phase.PROPOSE)
    need = actions.propose(store, room.people[0], room.theme_ids[0], "Chat writing")
    room.to(Phase.VOTE)
    actions.place_dot(store, room.people[1], need)
    moved = analytics.votes_moved(store, room.workshop.id)
    assert moved["shown_from_start"] and moved["leaders"] == []
    assert "no reveal to measure" in review.session_summary(store, room.workshop.id, 3).moved_line
