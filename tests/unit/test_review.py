"""Leaders' review: the session summary and the insight across sessions."""

from __future__ import annotations

import pytest

from tests.conftest import make_room
from workshop import actions, exports, i18n, review
from workshop.model import Phase


def test_summary_numbers_of_a_hand_made_workshop(store):
    room = make_room(store, participants=0)
    sales = [room.join(f"S{i}", "Sales") for i in range(3)]
    lone = room.join("Legal person", "Legal")
    room.join("Watcher", "Sales")  # joined, never contributed
    room.to(Phase.SHARE)
    s1 = actions.share(store, sales[0], room.theme_ids[0], "Chat must feel personal")
    actions.share(store, sales[1], room.theme_ids[0], "Fewer forms")
    actions.react(store, sales[2], s1, "agree")
    actions.react(store, lone, s1, "agree")
    room.to(Phase.PROPOSE)
    chat = actions.propose(store, sales[0], room.theme_ids[0], "Chat writing")
    rude = actions.propose(store, lone, room.theme_ids[0], "Rude words")
    dup = actions.propose(store, sales[1], room.theme_ids[0], "Writing for chat")
    actions.merge_needs(store, room.access, dup, chat)
    actions.hide_need(store, room.access, rude)
    room.to(Phase.VOTE)
    for person in sales + [lone]:
        actions.place_dot(store, person, chat)
    actions.rate(store, sales[0], chat, 5, 2)
    actions.rate(store, sales[1], chat, 4, 1)

    summary = review.session_summary(store, room.workshop.id, min_team_size=3)
    assert (summary.joined, summary.contributed, summary.statements, summary.needs, summary.dots) == (
        5,
        4,
        2,
        1,
        4,
    )
    assert summary.voted_share == pytest.approx(4 / 5)
    row = summary.needs_table.iloc[0]
    assert (row["need"], row["dots"], row["backers"], row["importance"], row["capability"], row["gap"]) == (
        "Chat writing",
        4,
        1,
        4.5,
        1.5,
        3.0,
    )
    assert summary.themes[0].top_statements[0] == ("Chat must feel personal", "Sales", 2)
    assert summary.hidden_needs["need"].tolist() == ["Rude words"]
    assert summary.moderation[["who", "action", "item", "detail"]].values.tolist() == [
        ["the facilitator", "merged a need into another", "Writing for chat", "into “Chat writing”"],
        ["the facilitator", "hid a need", "Rude words", ""],
    ]
    heat = summary.heatmap.data[0]
    assert "Legal" not in heat.x and "other" in heat.x  # a team of one is never shown on its own


def test_anonymous_workshops_quote_statements_without_teams(store):
    room = make_room(store, participants=2, anonymous=True)
    room.to(Phase.SHARE)
    actions.share(store, room.people[0], room.theme_ids[0], "Quoted without a team")
    summary = review.session_summary(store, room.workshop.id, min_team_size=1)
    assert summary.themes[0].top_statements == (("Quoted without a team", None, 0),)


LABELLED = [
    ("Data literacy: reading reports", "data"),
    ("Data literacy for everyone", "data"),
    ("Reading and questioning data reports", "data"),
    ("Coaching skills for team leads", "coaching"),
    ("Coaching for team leaders", "coaching"),
    ("Customer journey design", "journeys"),
    ("Designing customer journeys", "journeys"),
    ("Writing clear answers for chat", "chat"),
    ("Clear writing in chat and web", "chat"),
    ("Sustainable procurement", "procurement"),
    ("Project ownership and decision rights", "ownership"),
]


def test_similar_needs_group_together_and_different_ones_do_not():
    groups = review.group_similar([text for text, _ in LABELLED])
    expected = [label for _, label in LABELLED]
    for i in range(len(LABELLED)):
        for j in range(i + 1, len(LABELLED)):
            same = expected[i] == expected[j]
            assert (groups[i] == groups[j]) == same, (LABELLED[i][0], LABELLED[j][0])


def test_a_need_that_comes_up_in_two_workshops_is_recurring(store):
    first, second = make_room(store, title="Spring"), make_room(store, title="Autumn")
    ids = []
    for room, text, other in (
        (first, "Coaching skills for team leads", "Sustainable procurement"),
        (second, "Coaching for team leaders", "Office plants"),
    ):
        room.to(Phase.PROPOSE)
        ids.append(actions.propose(store, room.people[0], room.theme_ids[0], text))
        actions.propose(store, room.people[1], room.theme_ids[0], other)
        room.to(Phase.VOTE)
        actions.place_dot(store, room.people[2], ids[-1])
    recurring = review.recurring_needs(store, [first.workshop.id, second.workshop.id])
    top = recurring[recurring["workshops"] == 2]
    assert sorted(top["id"]) == sorted(ids)
    assert set(top["workshop"]) == {"Spring", "Autumn"}
    assert recurring["workshops"].tolist()[:2] == [2, 2]
    over_time = review.support_over_time(recurring)
    assert over_time["dot_share"].tolist() == [1.0, 1.0]
    priorities = review.priorities_by_team(store, recurring, [first.workshop.id, second.workshop.id], 1)
    assert set(priorities["team"]) == {"Sales"} and priorities["share"].sum() == pytest.approx(1.0)


def test_no_workshops_selected_gives_empty_tables(store):
    assert review.recurring_needs(store, []).empty
    assert review.support_over_time(review.recurring_needs(store, [])).empty


def test_the_moderation_record_says_each_step_in_words_in_the_order_it_was_taken(store):
    """Merge, undo, merge again, a hidden and shown statement, a person taken out: each is
    one line, in words, with who did it; in Finnish too; the reports say the same."""
    room = make_room(store, participants=0)
    ann, bo = room.join("Ann", "Sales"), room.join("Bo", "Sales")
    room.to(Phase.SHARE)
    said = actions.share(store, bo, room.theme_ids[0], "Meetings take all day")
    room.to(Phase.PROPOSE)
    kept = actions.propose(store, ann, room.theme_ids[0], "Coaching skills")
    twin = actions.propose(store, bo, room.theme_ids[0], "Skills in coaching")
    actions.merge_needs(store, room.access, twin, kept)
    actions.unmerge_need(store, room.access, twin)
    actions.merge_needs(store, room.access, twin, kept)
    actions.hide_statement(store, room.access, said)
    actions.hide_statement(store, room.access, said, False)
    actions.remove_participant(store, room.access, bo.id)
    summary = review.session_summary(store, room.workshop.id, 3)
    assert summary.moderation[["action", "item", "detail"]].values.tolist() == [
        ["merged a need into another", "Skills in coaching", "into “Coaching skills”"],
        ["undid the merge of a need", "Skills in coaching", "out of “Coaching skills”"],
        ["merged a need into another", "Skills in coaching", "into “Coaching skills”"],
        ["hid a statement", "Meetings take all day", ""],
        ["showed a statement again", "Meetings take all day", ""],
        ["took a person out of the workshop", "Bo", "1 statement hidden"],
    ]
    report = exports.markdown_report(summary, [])
    assert "the facilitator took a person out of the workshop: Bo (1 statement hidden)" in report
    assert "merge_needs" not in report and "hide_statement" not in report
    with i18n.using("fi"):
        finnish = review.session_summary(store, room.workshop.id, 3).moderation
    assert finnish["action"].tolist()[-1] == "otti henkilön pois työpajasta"
    assert finnish["who"].tolist()[0] == "fasilitaattori"


def test_a_need_and_its_translation_group_together_and_apart_from_the_rest():
    """The demo's twelve needs in English and in Finnish, and three more pairs: each need
    with its translation, and with nothing else (terms.concepts and workshop/glossary.csv)."""
    from workshop import demo, similar

    pairs = [
        (english, finnish)
        for english_theme, finnish_theme in zip(demo.ENGLISH.needs, demo.FINNISH.needs, strict=True)
        for english, finnish in zip(english_theme, finnish_theme, strict=True)
    ] + [
        ("Coaching skills for team leads", "Valmennustaidot tiiminvetäjille"),
        ("Sustainable procurement", "Kestävät hankinnat"),
        ("Customer interviews", "Asiakashaastattelut"),
    ]
    texts = [english for english, _ in pairs] + [finnish for _, finnish in pairs]
    groups = review.group_similar(texts)
    for i in range(len(pairs)):
        together = [texts[k] for k in range(len(texts)) if groups[k] == groups[i]]
        assert together == [pairs[i][0], pairs[i][1]], together
    # Facilitate offers the two as duplicates to merge, in either language's room.
    assert (
        similar.likeness("Data literacy for everyone", "Datalukutaito kaikille") >= similar.LIKELY_DUPLICATE
    )
    assert similar.likeness("Customer interviews", "Asiakastiedon vastuullinen käyttö") < similar.SIMILAR
