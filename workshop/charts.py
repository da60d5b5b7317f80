"""Chart builders: a DataFrame in, a Plotly figure out. Pure: no I/O, no Streamlit.

Participant text reaches Plotly escaped, because Plotly reads a few HTML tags in labels.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT_SIZE = 22


def safe_label(text: str, width: int = 40, lines: int = 3) -> str:
    """Participant text as a Plotly label: escaped, wrapped, shortened to `lines` lines."""
    wrapped = textwrap.wrap(" ".join(str(text).split()), width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "<br>".join(html.escape(line) for line in wrapped)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": html.escape(title), "font": {"size": FONT_SIZE + 6}},
        font={"size": FONT_SIZE, "family": "Inter, Segoe UI, Helvetica, Arial, sans-serif"},
        colorway=PALETTE,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 20, "r": 40, "t": 80, "b": 40},
        height=height,
        showlegend=False,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def empty_state(title: str, message: str) -> go.Figure:
    """A figure with no data and a sentence saying why, in large type."""
    fig = go.Figure()
    fig.add_annotation(
        text=html.escape(message),
        showarrow=False,
        font={"size": FONT_SIZE + 4, "color": "#555"},
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 360)


def statements_per_theme(counts: pd.DataFrame) -> go.Figure:
    """Bars of statements per theme, in the order of the themes."""
    title = "What the themes mean to people"
    if counts.empty or counts["statements"].sum() == 0:
        return empty_state(title, "No statements yet")
    fig = go.Figure(
        go.Bar(
            x=[safe_label(t, width=16) for t in counts["theme"]],
            y=counts["statements"],
            marker_color=PALETTE[2],
            text=counts["statements"],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 480)


QUADRANTS = (
    # (label, x = capability side, y = importance side)
    ("develop now", "low", "high"),
    ("maintain", "high", "high"),
    ("later", "low", "low"),
    ("over-invested", "high", "low"),
)


def importance_capability(matrix: pd.DataFrame, ranks: dict[int, int] | None = None) -> go.Figure:
    """Needs placed by current capability (x) and importance (y), 1–5; bubble size = dots.

    Each bubble carries the need's number in the ranking (`ranks`: need id → rank), so
    crowded bubbles stay readable; the full text is in the hover. The midlines at 3 split
    the quadrants: "develop now" (important, low capability), "maintain", "later" and
    "over-invested".
    """
    title = "Importance × current capability"
    if matrix.empty:
        return empty_state(title, "No ratings yet")
    fig = go.Figure()
    for label, x_side, y_side in QUADRANTS:
        fig.add_annotation(
            x=1.1 if x_side == "low" else 4.9,
            y=5.35 if y_side == "high" else 0.65,
            text=label,
            showarrow=False,
            xanchor="left" if x_side == "low" else "right",
            font={"size": FONT_SIZE, "color": "#555"},
        )
    fig.add_shape(type="line", x0=3, x1=3, y0=0.5, y1=5.5, line={"color": "#999", "dash": "dot"})
    fig.add_shape(type="line", x0=0.5, x1=5.5, y0=3, y1=3, line={"color": "#999", "dash": "dot"})
    biggest = max(int(matrix["dots"].max()), 1)
    fig.add_trace(
        go.Scatter(
            x=matrix["capability"],
            y=matrix["importance"],
            mode="markers+text",
            text=[str(r) for r in _ranks(matrix, ranks)],
            textposition="middle center",
            textfont={"color": "white", "size": FONT_SIZE - 2},
            customdata=[safe_label(t, width=40, lines=3) for t in matrix["text"]],
            marker={
                "size": [28 + 40 * d / biggest for d in matrix["dots"]],
                "color": PALETTE[0],
                "opacity": 0.75,
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="%{text}. %{customdata}<br>importance %{y:.1f}, capability %{x:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(title="Current capability", range=[0.5, 5.5], dtick=1, showgrid=False)
    fig.update_yaxes(title="Importance", range=[0.5, 5.6], dtick=1, showgrid=False)
    return _layout(fig, title, 720)


def _ranks(items: pd.DataFrame, ranks: dict[int, int] | None) -> list[int | str]:
    """Each item's number in the ranking (need id → rank); by position without one."""
    if ranks is None or "id" not in items:
        return list(range(1, len(items) + 1))
    return [ranks.get(item_id, "") for item_id in items["id"]]


def agreement(table: pd.DataFrame, top: int = 6) -> go.Figure:
    """Diverging bars per statement: agree to the right, disagree to the left, pass beside."""
    title = "Where the room agrees"
    shown = table[(table["agree"] + table["disagree"] + table["pass"]) > 0].head(top)
    if shown.empty:
        return empty_state(title, "No reactions yet")
    shown = shown.iloc[::-1]
    labels = [safe_label(t, width=36, lines=3) for t in shown["text"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=-shown["disagree"], name="disagree", orientation="h", marker_color=PALETTE[5],
                         customdata=shown["disagree"], hovertemplate="%{customdata} disagree<extra></extra>"))  # fmt: skip
    fig.add_trace(go.Bar(y=labels, x=shown["agree"], name="agree", orientation="h", marker_color=PALETTE[0],
                         hovertemplate="%{x} agree<extra></extra>"))  # fmt: skip
    fig.add_trace(go.Bar(y=labels, x=shown["pass"], name="pass", orientation="h", marker_color="#BBBBBB",
                         base=shown["agree"], hovertemplate="%{x} pass<extra></extra>"))  # fmt: skip
    fig.update_layout(barmode="overlay", showlegend=True)
    fig.update_xaxes(zeroline=True, zerolinecolor="#333", showticklabels=False)
    fig = _layout(fig, title, 200 + 90 * len(shown))
    fig.update_yaxes(tickfont={"size": FONT_SIZE - 4})
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.01, "yanchor": "top"},
    )
    return fig


def contributions_over_time(series: pd.DataFrame) -> go.Figure:
    """Contributions per minute, as an area under a line."""
    title = "Contributions per minute"
    if series.empty:
        return empty_state(title, "Nothing contributed yet")
    fig = go.Figure(
        go.Scatter(
            x=series["minute"],
            y=series["contributions"],
            mode="lines",
            line={"color": PALETTE[0], "width": 4, "shape": "spline"},
            fill="tozeroy",
            hovertemplate="%{x|%H:%M}: %{y}<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat="%H:%M", showgrid=False)
    fig.update_yaxes(rangemode="tozero", showgrid=True, gridcolor="#eee")
    return _layout(fig, title, 360)


def key_terms(terms: pd.DataFrame, theme: str) -> go.Figure:
    """The key terms of one theme as bars, the most distinctive on top (the projector
    shows the themes in turn)."""
    title = f"Key terms · {theme}"
    shown = terms[terms["theme"] == theme]
    if shown.empty:
        return empty_state(title, "No statements on this theme yet")
    shown = shown.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=shown["weight"],
            y=[safe_label(t, width=30, lines=1) for t in shown["term"]],
            orientation="h",
            marker_color=PALETTE[2],
            customdata=shown["count"],
            hovertemplate="%{y}: said %{customdata} times<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, 140 + 60 * len(shown))


def _order(by_team: pd.DataFrame, order: list[int] | None, top: int) -> list[int]:
    """The needs to show, top first: `order` (the ranking) if given, else most dots first."""
    if order is None:
        totals = by_team.groupby("id", sort=False)[["dots", "supporters"]].sum()
        order = totals.sort_values(["dots", "supporters"], ascending=False, kind="stable").index.tolist()
    present = set(by_team["id"])
    return [i for i in order if i in present][:top]


def needs_by_team(
    by_team: pd.DataFrame, *, joined: int, order: list[int] | None = None, top: int = 10
) -> go.Figure:
    """Dots per need stacked by team, numbered and ordered as the ranking (`order`, need ids,
    first = most dots), the first on top; one colour per team."""
    title = "Development needs by dots"
    voted = by_team[by_team["dots"] > 0]
    if voted.empty:
        people = "1 person has" if joined == 1 else f"{joined} people have"
        return empty_state(title, f"No votes yet — {people} joined")
    shown = _order(voted, order, top)
    rank = {need_id: i for i, need_id in enumerate(order or shown, start=1)}
    texts = by_team.drop_duplicates("id").set_index("id")["text"]
    labels = [f"{rank[i]}. {safe_label(texts[i])}" for i in shown][::-1]
    fig = go.Figure()
    for i, (team, rows) in enumerate(by_team.groupby("team", sort=True)):
        dots = rows.set_index("id")["dots"].reindex(shown[::-1], fill_value=0)
        fig.add_trace(
            go.Bar(x=dots.tolist(), y=labels, name=html.escape(str(team)), orientation="h",
                   marker_color=PALETTE[i % len(PALETTE)], hovertemplate=f"{html.escape(str(team))}: %{{x}} dots<extra></extra>")
        )  # fmt: skip
    totals = voted.groupby("id")["dots"].sum().reindex(shown[::-1], fill_value=0)
    fig.add_trace(
        go.Scatter(x=totals.tolist(), y=labels, mode="text", text=[f" {t}" for t in totals], textposition="middle right",
                   showlegend=False, hoverinfo="skip", cliponaxis=False)
    )  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_xaxes(visible=False, range=[0, max(totals) * 1.12])
    fig = _layout(fig, title, 180 + 90 * len(shown))
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.01, "yanchor": "top"},
    )
    return fig


def team_heatmap(by_team: pd.DataFrame, *, order: list[int] | None = None, top: int = 10) -> go.Figure:
    """Share of each team that supports each need (authored, backed or voted), 0–100 %."""
    title = "Support by team"
    if by_team.empty or by_team["supporters"].sum() == 0:
        return empty_state(title, "No support yet")
    shown = _order(by_team, order, top)
    texts = by_team.drop_duplicates("id").set_index("id")["text"]
    grid = by_team.assign(share=by_team["supporters"] / by_team["team_size"]).pivot_table(
        index="id", columns="team", values="share", aggfunc="first"
    )
    grid = grid.reindex(shown)
    fig = go.Figure(
        go.Heatmap(
            z=(grid.values * 100).round(),
            x=[html.escape(str(t)) for t in grid.columns],
            y=[safe_label(texts[i], width=32, lines=2) for i in grid.index],
            zmin=0,
            zmax=100,
            colorscale=[[0, "#f7fbff"], [1, PALETTE[0]]],
            texttemplate="%{z:.0f}%",
            hovertemplate="%{x}: %{z:.0f}% support<extra></extra>",
            colorbar={"title": "%"},
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, 180 + 70 * len(shown))


def consensus_scatter(scores: pd.DataFrame, ranks: dict[int, int] | None = None) -> go.Figure:
    """Needs by overall support (x) and agreement across teams (y); numbered by rank."""
    title = "Shared across teams, or dividing them?"
    if scores.empty or scores["support"].sum() == 0:
        return empty_state(title, "No support yet")
    fig = go.Figure(
        go.Scatter(
            x=scores["support"] * 100,
            y=scores["consensus"],
            mode="markers+text",
            text=[str(r) for r in _ranks(scores, ranks)],
            textfont={"color": "white", "size": FONT_SIZE - 2},
            customdata=[safe_label(t, width=40, lines=3) for t in scores["text"]],
            marker={"size": 44, "color": PALETTE[3], "opacity": 0.8},
            hovertemplate="%{text}. %{customdata}<br>%{x:.0f}% support, consensus %{y:.2f}<extra></extra>",
        )
    )
    for text, y in (("shared by every team", 0.97), ("divides teams", 0.03)):
        fig.add_annotation(text=text, x=1, xref="paper", y=y, showarrow=False, xanchor="right",
                           font={"size": FONT_SIZE - 2, "color": "#555"})  # fmt: skip
    fig.update_xaxes(title="People supporting it (%)", range=[0, 105], showgrid=False)
    fig.update_yaxes(title="Consensus across teams", range=[-0.05, 1.05], showgrid=False)
    return _layout(fig, title, 600)
