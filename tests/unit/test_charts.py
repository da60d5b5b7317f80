"""Chart builders: the traces and titles a viewer sees, and an empty state for no data."""

from __future__ import annotations

import pandas as pd

from workshop import charts


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


BY_TEAM = pd.DataFrame(
    {
        "id": [1, 1, 2, 2, 3, 3],
        "text": ["Coaching", "Coaching", "<i>Data</i>", "<i>Data</i>", "Quiet", "Quiet"],
        "team": ["Sales", "Support", "Sales", "Support", "Sales", "Support"],
        "team_size": [4, 2, 4, 2, 4, 2],
        "supporters": [2, 2, 4, 0, 0, 0],
        "dots": [3, 4, 6, 0, 0, 0],
    }
)


def test_needs_by_team_stacks_one_trace_per_team_most_dots_on_top():
    fig = charts.needs_by_team(BY_TEAM, joined=6)
    assert [t.name for t in fig.data][:2] == ["Sales", "Support"]
    sales, support, totals = fig.data
    assert list(totals.text) == [" 6", " 7"]
    assert list(sales.y) == ["2. &lt;i&gt;Data&lt;/i&gt;", "1. Coaching"]  # drawn bottom-up: 7 dots above 6
    assert list(sales.x) == [6, 3] and list(support.x) == [0, 4]
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Development needs by dots"


def test_chart_labels_show_quotes_as_typed_and_a_team_named_like_a_template_as_text():
    typed = BY_TEAM.assign(
        text=BY_TEAM["text"].replace("Coaching", 'The "right" coaching'),
        team=BY_TEAM["team"].replace("Sales", "%{x} & co"),
    )
    fig = charts.needs_by_team(typed, joined=6)
    hostile, _, _ = fig.data
    assert hostile.name == "%{x} &amp; co"  # read back by Plotly as "%{x} & co"
    assert '1. The "right" coaching' in list(hostile.y)  # not &quot;: Plotly would show that
    for trace in fig.data:
        assert "%{x} &" not in (trace.hovertemplate or "")  # no participant text in a template


def test_needs_by_team_follows_the_given_ranking():
    fig = charts.needs_by_team(BY_TEAM, joined=6, order=[2, 1, 3])
    assert list(fig.data[0].y) == ["2. Coaching", "1. &lt;i&gt;Data&lt;/i&gt;"]


def test_ranking_without_votes_says_how_many_joined():
    fig = charts.needs_by_team(BY_TEAM.assign(dots=0), joined=12)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No votes yet — 12 people have joined"


def test_team_heatmap_shows_each_teams_share_in_percent():
    fig = charts.team_heatmap(BY_TEAM)
    (heat,) = fig.data
    assert list(heat.x) == ["Sales", "Support"]
    # Coaching (7 dots: 2 of 4, 2 of 2) before Data (6 dots: 4 of 4, 0 of 2), from the top
    assert [list(row) for row in heat.z][:2] == [[50.0, 100.0], [100.0, 0.0]]


def test_consensus_by_need_names_each_need_in_the_rankings_order():
    scores = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "text": ["Alpha", "<b>Beta</b>", "Gamma"],
            "support": [0.75, 0.5, 0.25],
            "consensus": [0.0, 1.0, 0.667],
        }
    )
    (bars,) = charts.consensus_by_need(scores, ranks={1: 2, 2: 1, 3: 3}).data
    assert list(bars.y) == ["1. &lt;b&gt;Beta&lt;/b&gt;", "2. Alpha", "3. Gamma"]  # participant text escaped
    assert list(bars.x) == [1.0, 0.0, 0.67] and bars.text[1].strip() == "75% support"
    assert bars.cliponaxis is False  # a number beside a full bar is never cut
    fig = charts.consensus_by_need(scores, ranks={1: 2, 2: 1, 3: 3})
    assert list(fig.layout.xaxis.ticktext) == ["divides teams", "shared by every team"]


def test_key_terms_chart_shows_one_theme_and_an_empty_state_for_others():
    terms = pd.DataFrame(
        {"theme": ["A", "A"], "term": ["customer service", "digital"], "weight": [0.3, 0.2], "count": [3, 2]}
    )
    fig = charts.key_terms(terms, "A")
    assert list(fig.data[0].y) == ["digital", "customer service"]
    assert charts.key_terms(terms, "B").layout.annotations[0].text == "No statements on this theme yet"


def test_contributions_over_time_has_a_line_or_an_empty_state():
    series = pd.DataFrame(
        {"minute": pd.to_datetime(["2026-11-28 09:00", "2026-11-28 09:01"]), "contributions": [4, 0]}
    )
    assert list(charts.contributions_over_time(series).data[0].y) == [4, 0]
    empty = charts.contributions_over_time(series.iloc[0:0])
    assert empty.layout.annotations[0].text == "Nothing contributed yet"


def test_empty_team_charts_say_so():
    none = BY_TEAM.assign(dots=0, supporters=0)
    assert (
        charts.needs_by_team(none, joined=1).layout.annotations[0].text
        == "No votes yet — 1 person has joined"
    )
    assert charts.team_heatmap(none).layout.annotations[0].text == "No support yet"


def test_team_priorities_put_teams_side_by_side():
    priorities = pd.DataFrame(
        {
            "label": ["Coaching", "Data", "Coaching"],
            "team": ["Sales", "Sales", "Support"],
            "dots": [3, 1, 2],
            "share": [0.75, 0.25, 1.0],
        }
    )
    fig = charts.team_priorities(priorities)
    assert [t.name for t in fig.data] == ["Sales", "Support"]
    assert list(fig.data[0].y) == ["Data", "Coaching"] and list(fig.data[0].x) == [25.0, 75.0]
    assert list(fig.data[1].x) == [0.0, 100.0]


def test_support_over_time_draws_a_line_per_recurring_need():
    over = pd.DataFrame(
        {
            "label": ["Coaching", "Coaching"],
            "held_on": pd.to_datetime(["2026-03-01", "2026-09-01"]).date,
            "workshop": ["Spring", "Autumn"],
            "dot_share": [0.2, 0.5],
        }
    )
    (line,) = charts.support_over_time(over).data
    assert list(line.y) == [20.0, 50.0] and list(line.customdata) == ["Spring", "Autumn"]
    assert (
        charts.support_over_time(over.iloc[0:0]).layout.annotations[0].text
        == "No need recurs in the selected workshops"
    )


def test_support_over_time_gives_workshops_held_on_the_same_day_a_place_each():
    from datetime import date

    over = pd.DataFrame(
        {
            "label": ["Coaching"] * 3,
            "held_on": [date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 2)],
            "workshop": ["Sales day", "Ops day", "Spring"],
            "dot_share": [0.5, 0.25, 0.1],
        }
    )
    figure = charts.support_over_time(over)
    (line,) = figure.data
    assert list(line.x) == ["2026-03-01<br>Ops day", "2026-03-01<br>Sales day", "2026-04-02<br>Spring"]
    assert list(line.y) == [25.0, 50.0, 10.0] and figure.layout.xaxis.type == "category"
