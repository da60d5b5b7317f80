"""Chart builders: the traces and titles a viewer sees, and an empty state for no data."""

from __future__ import annotations

import pandas as pd

from workshop import charts


def test_ranking_shows_needs_with_dots_most_first_and_escapes_text():
    ranking = pd.DataFrame(
        {"text": ["<b>Bold</b> need", "Second", "No dots"], "dots": [5, 3, 0], "backers": [1, 0, 0]}
    )
    fig = charts.needs_ranking(ranking, joined=4)
    (bar,) = fig.data
    assert list(bar.x) == [3, 5]  # drawn bottom-up, so the most dots end on top
    assert list(bar.y) == ["2. Second", "1. &lt;b&gt;Bold&lt;/b&gt; need"]
    assert fig.layout.title.text == "Development needs by dots"


def test_ranking_without_votes_says_how_many_joined():
    fig = charts.needs_ranking(pd.DataFrame({"text": ["A"], "dots": [0], "backers": [0]}), joined=12)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No votes yet — 12 people have joined"


def test_long_labels_are_wrapped_and_shortened():
    label = charts.safe_label("word " * 60, width=20, lines=2)
    assert label.count("<br>") == 1 and label.endswith("…")


def test_matrix_labels_every_quadrant_and_sizes_bubbles_by_dots():
    matrix = pd.DataFrame(
        {
            "id": [7, 9],
            "text": ["Coaching", "Data"],
            "importance": [4.5, 2.0],
            "capability": [1.5, 4.0],
            "dots": [10, 2],
        }
    )
    fig = charts.importance_capability(matrix, ranks={7: 2, 9: 5})
    assert {a.text for a in fig.layout.annotations} == {"develop now", "maintain", "later", "over-invested"}
    (points,) = fig.data
    assert list(points.x) == [1.5, 4.0] and list(points.y) == [4.5, 2.0]
    assert points.marker.size[0] > points.marker.size[1]
    assert list(points.text) == ["2", "5"] and list(points.customdata) == ["Coaching", "Data"]


def test_matrix_without_ratings_is_an_empty_state():
    fig = charts.importance_capability(pd.DataFrame(columns=["text", "importance", "capability", "dots"]))
    assert fig.layout.annotations[0].text == "No ratings yet"


def test_agreement_diverges_disagree_left_agree_right():
    table = pd.DataFrame(
        {"text": ["A", "B", "Silent"], "agree": [3, 1, 0], "disagree": [1, 4, 0], "pass": [0, 2, 0]}
    )
    fig = charts.agreement(table)
    disagree, agree, passed = fig.data
    assert list(disagree.x) == [-4, -1] and list(agree.x) == [1, 3] and list(passed.x) == [2, 0]
    assert [t.name for t in fig.data] == ["disagree", "agree", "pass"]


def test_statements_per_theme_empty_state():
    fig = charts.statements_per_theme(pd.DataFrame({"theme": ["A"], "statements": [0]}))
    assert fig.layout.annotations[0].text == "No statements yet"
