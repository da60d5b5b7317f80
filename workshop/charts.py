"""Chart builders: a DataFrame in, a Plotly figure out. Pure: no I/O, no Streamlit.

Each builder writes the figure as a plain spec (traces and layout as dicts) and wraps it
in a `go.Figure` once, without Plotly's per-property validation, which costs ten to fifty
times more, and the projector rebuilds its charts after every change. The tests read the figures back through the usual `fig.data` and
`fig.layout`.

Participant text reaches Plotly escaped, because Plotly reads a few HTML tags in labels.
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from workshop import i18n
from workshop.i18n import N_, _, ngettext, pgettext
from workshop.privacy import EVERYONE

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT_SIZE = 22
# Participant text on the projector's charts, which have a page each: one line of up to so
# many characters, so that ten needs fit a 720-line screen in readable type.
ONE_LINE = (48, 1)
_HIDDEN_AXIS = {"visible": False}
_LEGEND_BELOW = {
    "orientation": "h",
    "x": 0.5,
    "xanchor": "center",
    "y": 0,
    "yref": "container",
    "yanchor": "bottom",
    "traceorder": "normal",
}

QUADRANTS = (
    # (label, capability side, importance side)
    (N_("develop now"), "low", "high"),
    (N_("maintain"), "high", "high"),
    (N_("later"), "low", "low"),
    (N_("over-invested"), "high", "low"),
)


def team_name(team: str) -> str:
    """A team as the charts name it: teams pooled for privacy ("other"), people without a
    team, and a room too small to show by team (privacy.EVERYONE) in the reader's language."""
    return {
        "other": pgettext("team", "other"),
        "(no team)": _("(no team)"),
        EVERYONE: _("everyone (too few to show by team)"),
    }.get(team, team)


def plain(text: object) -> str:
    """Text for a Plotly label, shown as typed: its few HTML tags and entities escaped
    (Plotly reads `&lt;`, `&gt;` and `&amp;` back, not `&quot;`, so quotes stay as they are)."""
    return html.escape(str(text), quote=False)


def safe_label(text: str, width: int = 40, lines: int = 3) -> str:
    """Participant text as a Plotly label: escaped, wrapped, shortened to `lines` lines."""
    wrapped = textwrap.wrap(" ".join(str(text).split()), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "<br>".join(plain(line) for line in wrapped)


def _figure(
    title: str,
    height: int,
    traces: list[dict[str, Any]],
    *,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    legend: bool = False,
    **layout: Any,
) -> go.Figure:
    """The shared look: large type, the palette, white ground, no chart junk."""
    spec_layout = {
        "template": {},  # our own look only; expanding a named template costs ~2 ms a figure
        "title": {"text": plain(title), "font": {"size": FONT_SIZE + 6}},
        "font": {"size": FONT_SIZE, "family": "Inter, Segoe UI, Helvetica, Arial, sans-serif"},
        "colorway": list(PALETTE),
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "margin": {"l": 20, "r": 40, "t": 80, "b": 40},
        "height": height,
        "showlegend": legend,
        "xaxis": {"automargin": True, **(xaxis or {})},
        "yaxis": {"automargin": True, **(yaxis or {})},
        **({"legend": _LEGEND_BELOW} if legend else {}),
        **layout,
    }
    return go.Figure({"data": traces, "layout": spec_layout}, _validate=False)


def _values(column: pd.Series) -> list[Any]:
    return column.tolist()


def empty_state(title: str, message: str) -> go.Figure:
    """A figure with no data and a sentence saying why, in large type."""
    note = {
        "text": plain(message),
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": FONT_SIZE + 4, "color": "#555"},
    }
    return _figure(title, 360, [], xaxis=_HIDDEN_AXIS, yaxis=_HIDDEN_AXIS, annotations=[note])


def statements_per_theme(counts: pd.DataFrame) -> go.Figure:
    """Bars of statements per theme, in the order of the themes."""
    title = _("What the themes mean to people")
    if counts.empty or counts["statements"].sum() == 0:
        return empty_state(title, _("No statements yet"))
    bar = {
        "type": "bar",
        "x": [safe_label(t, width=16) for t in counts["theme"]],
        "y": _values(counts["statements"]),
        "marker": {"color": PALETTE[2]},
        "text": _values(counts["statements"]),
        "textposition": "outside",
        "cliponaxis": False,
    }
    return _figure(title, 480, [bar], yaxis=_HIDDEN_AXIS)


def importance_capability(matrix: pd.DataFrame, ranks: dict[int, int] | None = None) -> go.Figure:
    """Needs placed by current capability (x) and importance (y), 1–5; bubble size = dots.

    Each bubble carries the need's number in the ranking (`ranks`: need id → rank), so
    crowded bubbles stay readable; the full text is in the hover. The midlines at 3 split
    the quadrants: "develop now" (important, low capability), "maintain", "later" and
    "over-invested".
    """
    title = _("Importance × current capability")
    if matrix.empty:
        return empty_state(title, _("No ratings yet"))
    labels = [
        {
            "text": _(label),
            "showarrow": False,
            "x": 1.1 if x_side == "low" else 4.9,
            "y": 5.35 if y_side == "high" else 0.65,
            "xanchor": "left" if x_side == "low" else "right",
            "font": {"size": FONT_SIZE, "color": "#555"},
        }
        for label, x_side, y_side in QUADRANTS
    ]
    midlines = [
        {"type": "line", "x0": 3, "x1": 3, "y0": 0.5, "y1": 5.5, "line": {"color": "#999", "dash": "dot"}},
        {"type": "line", "x0": 0.5, "x1": 5.5, "y0": 3, "y1": 3, "line": {"color": "#999", "dash": "dot"}},
    ]
    biggest = max(int(matrix["dots"].max()), 1)
    points = {
        "type": "scatter",
        "x": _values(matrix["capability"]),
        "y": _values(matrix["importance"]),
        "mode": "markers+text",
        "text": [str(r) for r in _ranks(matrix, ranks)],
        "textposition": "middle center",
        "textfont": {"color": "white", "size": FONT_SIZE - 2},
        "customdata": [safe_label(t, width=40, lines=3) for t in matrix["text"]],
        "marker": {
            "size": [40 + 36 * d / biggest for d in matrix["dots"]],  # room for "10" in large type
            "color": PALETTE[0],
            "opacity": 0.75,
            "line": {"color": "white", "width": 1},
        },
        "hovertemplate": _(
            "%{text}. %{customdata}<br>importance %{y:.1f}, capability %{x:.1f}<extra></extra>"
        ),
    }
    return _figure(
        title,
        720,
        [points],
        xaxis={
            "title": {"text": _("Current capability")},
            "range": [0.5, 5.5],
            "dtick": 1,
            "showgrid": False,
        },
        yaxis={"title": {"text": _("Importance")}, "range": [0.5, 5.6], "dtick": 1, "showgrid": False},
        annotations=labels,
        shapes=midlines,
    )


def _ranks(items: pd.DataFrame, ranks: dict[int, int] | None) -> list[int | str]:
    """Each item's number in the ranking (need id → rank); by position without one."""
    if ranks is None or "id" not in items:
        return list(range(1, len(items) + 1))
    return [ranks.get(item_id, "") for item_id in items["id"]]


def agreement(table: pd.DataFrame, top: int = 6) -> go.Figure:
    """Diverging bars per statement: agree to the right, disagree to the left, pass beside."""
    title = _("Where the room agrees")
    shown = table[(table["agree"] + table["disagree"] + table["pass"]) > 0].head(top)
    if shown.empty:
        return empty_state(title, _("No reactions yet"))
    shown = shown.iloc[::-1]
    labels = [safe_label(t, width=36, lines=3) for t in shown["text"]]
    bars = [
        {
            "type": "bar",
            "name": _("disagree"),
            "y": labels,
            "x": [-v for v in shown["disagree"]],
            "orientation": "h",
            "marker": {"color": PALETTE[5]},
            "customdata": _values(shown["disagree"]),
            "hovertemplate": _("%{customdata} disagree<extra></extra>"),
        },
        {
            "type": "bar",
            "name": _("agree"),
            "y": labels,
            "x": _values(shown["agree"]),
            "orientation": "h",
            "marker": {"color": PALETTE[0]},
            "hovertemplate": _("%{x} agree<extra></extra>"),
        },
        {
            "type": "bar",
            "name": _("pass"),
            "y": labels,
            "x": _values(shown["pass"]),
            "orientation": "h",
            "marker": {"color": "#BBBBBB"},
            "base": _values(shown["agree"]),
            "hovertemplate": _("%{x} pass<extra></extra>"),
        },
    ]
    return _figure(
        title,
        200 + 90 * len(shown),
        bars,
        legend=True,
        barmode="overlay",
        xaxis={"zeroline": True, "zerolinecolor": "#333", "showticklabels": False},
        yaxis={"tickfont": {"size": FONT_SIZE - 4}},
    )


def contributions_over_time(series: pd.DataFrame) -> go.Figure:
    """Contributions per minute, as an area under a line."""
    title = _("Contributions per minute")
    if series.empty:
        return empty_state(title, _("Nothing contributed yet"))
    line = {
        "type": "scatter",
        "x": [m.isoformat() for m in series["minute"]],
        "y": _values(series["contributions"]),
        "mode": "lines+markers",
        "line": {"color": PALETTE[0], "width": 4},
        "marker": {"size": 10},
        "fill": "tozeroy",
        "hovertemplate": "%{x|%H:%M}: %{y}<extra></extra>",
    }
    span = (series["minute"].max() - series["minute"].min()).total_seconds() / 60
    minutes_apart = max(1, math.ceil(span / 8))
    return _figure(
        title,
        360,
        [line],
        # Whole minutes only, at most about eight of them: a short span otherwise gets a
        # tick every ten seconds, each labelled with the same minute.
        xaxis={"tickformat": "%H:%M", "showgrid": False, "type": "date", "dtick": 60_000 * minutes_apart},
        yaxis={"rangemode": "tozero", "showgrid": True, "gridcolor": "#eee"},
    )


def key_terms(terms: pd.DataFrame, theme: str) -> go.Figure:
    """The key terms of one theme as bars, the most distinctive on top (the projector
    shows the themes in turn)."""
    title = _("Key terms · {theme}").format(theme=theme)
    shown = terms[terms["theme"] == theme]
    if shown.empty:
        return empty_state(title, _("No statements on this theme yet"))
    shown = shown.iloc[::-1]
    bar = {
        "type": "bar",
        "x": _values(shown["weight"]),
        "y": [safe_label(t, width=30, lines=1) for t in shown["term"]],
        "orientation": "h",
        "marker": {"color": PALETTE[2]},
        "customdata": _values(shown["count"]),
        "hovertemplate": _("%{y}: said %{customdata} times<extra></extra>"),
    }
    return _figure(title, 140 + 60 * len(shown), [bar], xaxis=_HIDDEN_AXIS)


class _TeamTable:
    """support_by_team rows as plain lookups (cheaper than pandas reshaping for a few
    hundred rows): text per need, and (supporters, team size, dots) per need and team."""

    def __init__(self, by_team: pd.DataFrame) -> None:
        ids = by_team["id"].tolist()
        teams = by_team["team"].tolist()
        self.text = dict(zip(ids, by_team["text"].tolist(), strict=True))
        self.teams = sorted(set(teams), key=str)
        self.cell = {
            (i, t): (int(supporters), int(size), int(dots))
            for i, t, supporters, size, dots in zip(
                ids,
                teams,
                by_team["supporters"].tolist(),
                by_team["team_size"].tolist(),
                by_team["dots"].tolist(),
                strict=True,
            )
        }
        self.dots: dict[int, int] = {}
        self.supporters: dict[int, int] = {}
        for (i, _team), (supporters, _voters, dots) in self.cell.items():
            self.dots[i] = self.dots.get(i, 0) + dots
            self.supporters[i] = self.supporters.get(i, 0) + supporters

    def order(self, order: list[int] | None, top: int, *, voted: bool) -> list[int]:
        """The needs to show, top first: `order` (the ranking) if given, else most dots first."""
        if order is None:
            order = sorted(self.text, key=lambda i: (-self.dots[i], -self.supporters[i]))
        return [i for i in order if i in self.text and (self.dots[i] > 0 or not voted)][:top]


def needs_by_team(
    by_team: pd.DataFrame,
    *,
    joined: int,
    order: list[int] | None = None,
    top: int = 10,
    label: tuple[int, int] = (40, 3),
) -> go.Figure:
    """Dots per need stacked by team, numbered and ordered as the ranking (`order`, need ids,
    first = most dots), the first on top; one colour per team. Each need's text is wrapped
    to `label` (characters a line, lines)."""
    title = _("Development needs by dots")
    table = _TeamTable(by_team)
    shown = table.order(order, top, voted=True)
    if not shown:
        joined_text = ngettext(
            "No votes yet — {n} person has joined", "No votes yet — {n} people have joined", joined
        )
        return empty_state(title, joined_text.format(n=joined))
    rank = {need_id: i for i, need_id in enumerate(order or shown, start=1)}
    bottom_up = shown[::-1]
    labels = [f"{rank[i]}. {safe_label(table.text[i], *label)}" for i in bottom_up]
    bars: list[dict[str, Any]] = []
    for n, team in enumerate(table.teams):
        name = plain(team_name(team))
        bars.append(
            {
                "type": "bar",
                "name": name,
                "orientation": "h",
                "y": labels,
                "x": [table.cell.get((i, team), (0, 0, 0))[2] for i in bottom_up],
                "marker": {"color": PALETTE[n % len(PALETTE)]},
                "hovertemplate": _("%{fullData.name}: %{x} dots<extra></extra>"),
            }
        )
    totals = [table.dots[i] for i in bottom_up]
    bars.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": totals,
            "y": labels,
            "text": [f" {t}" for t in totals],
            "textposition": "middle right",
            "showlegend": False,
            "hoverinfo": "skip",
            "cliponaxis": False,
        }
    )
    return _figure(
        title,
        180 + 90 * len(shown),
        bars,
        legend=True,
        barmode="stack",
        xaxis={"visible": False, "range": [0, max(totals) * 1.12]},
    )


def team_heatmap(
    by_team: pd.DataFrame, *, order: list[int] | None = None, top: int = 10, label: tuple[int, int] = (32, 2)
) -> go.Figure:
    """Share of each team that supports each need (authored, backed or voted), 0–100 %; each
    need's text wrapped to `label` (characters a line, lines)."""
    title = _("Support by team")
    table = _TeamTable(by_team)
    shown = table.order(order, top, voted=False)
    if not any(table.supporters.get(i) for i in shown):
        return empty_state(title, _("No support yet"))

    def percent(need_id: int, team: str) -> float:
        supporters, size, _ = table.cell.get((need_id, team), (0, 0, 0))
        return round(100 * supporters / size) if size else 0.0

    heat = {
        "type": "heatmap",
        "z": [[percent(i, t) for t in table.teams] for i in shown],
        "x": [plain(team_name(t)) for t in table.teams],
        "y": [safe_label(table.text[i], *label) for i in shown],
        "zmin": 0,
        "zmax": 100,
        "colorscale": [[0, "#f7fbff"], [1, PALETTE[0]]],
        "texttemplate": "%{z:.0f}%",
        "textfont": {"size": FONT_SIZE},
        "hovertemplate": _("%{x}: %{z:.0f}% support<extra></extra>"),
        "colorbar": {"ticksuffix": "%"},
    }
    return _figure(title, 180 + 70 * len(shown), [heat], yaxis={"autorange": "reversed"})


def consensus_by_need(
    scores: pd.DataFrame,
    ranks: dict[int, int] | None = None,
    *,
    top: int = 10,
    label: tuple[int, int] = (40, 2),
) -> go.Figure:
    """How far each need is shared across teams (analytics.consensus: 0, it divides them, to
    1, every team supports it alike), the needs in the ranking's order (`ranks`: need id →
    rank) and named, so the chart reads by itself; the share of people supporting each is
    written beside its bar."""
    title = _("Shared across teams, or dividing them?")
    if scores.empty or scores["support"].sum() == 0:
        return empty_state(title, _("No support yet"))
    numbers = _ranks(scores, ranks)
    rows = sorted(
        (
            r
            for r in zip(numbers, scores["text"], scores["consensus"], scores["support"], strict=True)
            if r[0] != ""
        ),
        key=lambda r: r[0],
    )[:top]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": [f"{rank}. {safe_label(text, *label)}" for rank, text, _c, _s in rows],
        "x": [round(float(c), 2) for _r, _t, c, _s in rows],
        "marker": {"color": PALETTE[3]},
        "text": [
            " " + _("{percent} support").format(percent=i18n.format_percent(float(s)))
            for _r, _t, _c, s in rows
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": _("%{y}: consensus %{x:.2f}, %{text}<extra></extra>"),
    }
    return _figure(
        title,
        180 + 70 * len(rows),
        [bars],
        xaxis={
            "range": [0, 1.35],
            "tickvals": [0, 1],
            "ticktext": [_("divides teams"), _("shared by every team")],
            "showgrid": True,
            "gridcolor": "#ccc",
        },
        yaxis={"autorange": "reversed"},
    )


def team_priorities(priorities: pd.DataFrame, top: int = 8) -> go.Figure:
    """Side by side per team: the share of the team's dots each recurring need received."""
    title = _("Priorities by team")
    if priorities.empty:
        return empty_state(title, _("No votes in the selected workshops"))
    totals = priorities.groupby("label")["dots"].sum().sort_values(ascending=False)
    labels = totals.index[:top].tolist()[::-1]
    bars: list[dict[str, Any]] = []
    for n, (team, rows) in enumerate(priorities.groupby("team", sort=True)):
        share = dict(zip(rows["label"], rows["share"], strict=True))
        name = plain(team_name(team))
        bars.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [safe_label(t, width=36, lines=2) for t in labels],
                "x": [round(100 * share.get(t, 0.0), 1) for t in labels],
                "marker": {"color": PALETTE[n % len(PALETTE)]},
                "hovertemplate": _("%{fullData.name}: %{x}% of its dots<extra></extra>"),
            }
        )
    return _figure(
        title,
        200 + 70 * len(labels),
        bars,
        legend=True,
        barmode="group",
        xaxis={"title": {"text": _("% of the team's dots")}, "ticksuffix": "%"},
    )


def support_over_time(over_time: pd.DataFrame) -> go.Figure:
    """For needs that recur, the share of each workshop's dots they received, by date."""
    title = _("Recurring needs over time")
    if over_time.empty:
        return empty_state(title, _("No need recurs in the selected workshops"))
    held = (
        over_time[["held_on", "workshop"]]
        .drop_duplicates()
        .sort_values(["held_on", "workshop"], kind="stable")
    )
    # Workshops on the same day would share a point: then each gets a place of its own on
    # the axis, in date order, named by its date and title.
    shared_day = held["held_on"].nunique() < len(held)
    place = {
        (d, w): f"{i18n.format_date(d)}<br>{safe_label(w, width=18, lines=1)}"
        for d, w in held.itertuples(index=False)
    }
    lines = []
    for n, (label, rows) in enumerate(over_time.groupby("label", sort=False)):
        ordered = rows.sort_values(["held_on", "workshop"], kind="stable")
        lines.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": safe_label(label, width=30, lines=1),
                "x": [
                    place[d, w] if shared_day else d.isoformat()
                    for d, w in zip(ordered["held_on"], ordered["workshop"], strict=True)
                ],
                "y": [round(100 * v, 1) for v in ordered["dot_share"]],
                "customdata": [plain(w) for w in ordered["workshop"]],
                "line": {"color": PALETTE[n % len(PALETTE)]},
                "hovertemplate": _("%{customdata}: %{y}% of the dots<extra></extra>"),
            }
        )
    return _figure(
        title,
        460,
        lines,
        legend=True,
        xaxis=(
            {"type": "category", "categoryorder": "array", "categoryarray": list(place.values())}
            if shared_day
            else {"type": "date", "title": {"text": _("Workshop date")}, "nticks": 6}
        ),
        yaxis={"title": {"text": _("% of the workshop's dots")}, "rangemode": "tozero", "ticksuffix": "%"},
    )


def adoption_over_time(adoptions: pd.DataFrame) -> go.Figure:
    """Practices adopted, counted up over time: a step for each practice a workshop adopted
    (`adoptions`: at, and the practice's title; one row per practice and workshop)."""
    title = _("Practices adopted over time")
    if adoptions.empty:
        return empty_state(title, _("No practice adopted yet"))
    ordered = adoptions.sort_values("at", kind="stable")
    line = {
        "type": "scatter",
        "x": [at.isoformat() for at in ordered["at"]],
        "y": list(range(1, len(ordered) + 1)),
        "text": [plain(t) for t in ordered["practice"]],
        "mode": "lines+markers",
        "line": {"color": PALETTE[2], "width": 4, "shape": "hv"},
        "marker": {"size": 10},
        "hovertemplate": _("%{x|%Y-%m-%d}: %{y} adopted (%{text})<extra></extra>"),
    }
    return _figure(
        title,
        320,
        [line],
        xaxis={"tickformat": "%Y-%m-%d", "showgrid": False, "type": "date"},
        yaxis={"rangemode": "tozero", "showgrid": True, "gridcolor": "#eee", "dtick": 1},
    )


def votes_moved(moved: dict[str, Any], *, label: tuple[int, int] = (36, 2)) -> go.Figure:
    """Dots moved after the reveal, per need (analytics.votes_moved): the net change of each,
    the needs leading at the reveal in the first colour; the title says how many moved and
    how many toward the leaders. Each need's text is wrapped to `label`; the axis leaves room
    on both sides for the bars' numbers."""
    count = moved["moved"]
    title = ngettext(
        "{n} dot moved after the reveal, {toward} toward the leaders",
        "{n} dots moved after the reveal, {toward} toward the leaders",
        count,
    ).format(n=count, toward=moved["toward_leaders"])
    per_need = moved["per_need"]
    if moved["shown_from_start"]:
        return empty_state(
            _("How dots moved"), _("The counts were shown from the first dot: no reveal to measure")
        )
    if per_need.empty:
        return empty_state(title, _("No dot moved after the reveal"))
    reach = 1.4 * max(abs(c) for c in per_need["change"]) + 1  # the zero line in the middle
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": [safe_label(t, *label) for t in per_need["text"]],
        "x": _values(per_need["change"]),
        "marker": {"color": [PALETTE[0] if lead else PALETTE[1] for lead in per_need["leader"]]},
        "text": [f"{c:+d}" for c in per_need["change"]],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:+d}<extra></extra>",
    }
    return _figure(
        title,
        max(320, 80 + 60 * len(per_need)),
        [bars],
        xaxis={
            "zeroline": True,
            "zerolinecolor": "#999",
            "showgrid": False,
            "title": {"text": _("net dots after the reveal")},
            "range": [-reach, reach],
        },
        yaxis={"autorange": "reversed"},
    )


def theme_team_heatmap(table: pd.DataFrame) -> go.Figure:
    """Theme × team (analytics.theme_by_team): the share of each team's dots that went to
    each theme's needs, the cell saying dots, statements and needs, so teams of any size
    compare."""
    title = _("What each team said and needed, per theme")
    if table.empty or not (table["statements"].sum() + table["needs"].sum() + table["dots"].sum()):
        return empty_state(title, _("Nothing said or needed yet"))
    teams = list(dict.fromkeys(table["team"]))
    themes = list(dict.fromkeys(table.sort_values("position", kind="stable")["theme"]))
    cell = {(r.theme, r.team): r for r in table.itertuples(index=False)}
    spent = table.groupby("team")["dots"].sum()

    def share(theme: str, team: str) -> float:
        return round(100 * cell[theme, team].dots / spent[team]) if spent[team] else 0.0

    heat = {
        "type": "heatmap",
        "z": [[share(th, t) for t in teams] for th in themes],
        "x": [plain(team_name(t)) for t in teams],
        "y": [safe_label(th, width=28, lines=2) for th in themes],
        "zmin": 0,
        "zmax": 100,
        "colorscale": [[0, "#fdf6ec"], [1, PALETTE[1]]],
        "text": [
            [_counts_of(cell[th, t].dots, cell[th, t].statements, cell[th, t].needs) for t in teams]
            for th in themes
        ],
        "texttemplate": "%{text}",
        "textfont": {"size": FONT_SIZE - 4},
        "hovertemplate": _("%{x}, %{y}: %{z:.0f}% of the team's dots<extra></extra>"),
        "colorbar": {"ticksuffix": "%", "title": {"text": _("of the team's dots"), "side": "right"}},
    }
    return _figure(title, 200 + 90 * len(themes), [heat], yaxis={"autorange": "reversed"})


def _counts_of(dots: int, statements: int, needs: int) -> str:
    """A theme × team cell's counts, each in the form its number asks."""
    return "<br>".join(
        (
            ngettext("{n} dot", "{n} dots", dots).format(n=dots),
            " · ".join(
                (
                    ngettext("{n} statement", "{n} statements", statements).format(n=statements),
                    ngettext("{n} need", "{n} needs", needs).format(n=needs),
                )
            ),
        )
    )


def checkin_change(change: pd.DataFrame) -> go.Figure:
    """Capability at the workshop and at the check-in, per need (analytics.checkin_change,
    every team together): two bars each, the same people's mean."""
    title = _("Capability at the workshop and at the check-in")
    if change.empty:
        return empty_state(title, _("Nobody has checked in yet"))
    weighted = change.assign(b=change["before"] * change["people"], a=change["after"] * change["people"])
    per_need = weighted.groupby(["id", "text"], as_index=False, sort=False)[["b", "a", "people"]].sum()
    labels = [safe_label(t, 36, 2) for t in per_need["text"]]

    def bars(name: str, values: pd.Series, colour: str) -> dict[str, Any]:
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": [round(v, 1) for v in values / per_need["people"]],
            "marker": {"color": colour},
            "texttemplate": "%{x:.1f}",
            "textposition": "outside",
            "hovertemplate": f"%{{y}}: {name} %{{x:.1f}}<extra></extra>",
        }

    return _figure(
        title,
        200 + 90 * len(per_need),
        [
            bars(_("at the workshop"), per_need["b"], PALETTE[4]),
            bars(_("at the check-in"), per_need["a"], PALETTE[2]),
        ],
        xaxis={
            "range": [0, 5.6],
            "title": {"text": _("capability (1–5)")},
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={"autorange": "reversed"},
        legend=True,
        barmode="group",
    )
