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


def needs_ranking(ranking: pd.DataFrame, *, joined: int, top: int = 10) -> go.Figure:
    """Horizontal bars of dots per need, the most supported at the top."""
    title = "Development needs by dots"
    shown = ranking[ranking["dots"] > 0].head(top)
    if shown.empty:
        people = "1 person has" if joined == 1 else f"{joined} people have"
        return empty_state(title, f"No votes yet — {people} joined")
    shown = shown.iloc[::-1]
    labels = [safe_label(t) for t in shown["text"]]
    fig = go.Figure(
        go.Bar(
            x=shown["dots"],
            y=labels,
            orientation="h",
            marker_color=PALETTE[0],
            text=shown["dots"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x} dots<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False, range=[0, max(shown["dots"]) * 1.15])
    fig.update_yaxes(automargin=True, tickfont={"size": FONT_SIZE})
    return _layout(fig, title, 140 + 90 * len(shown))


def statements_per_theme(counts: pd.DataFrame) -> go.Figure:
    """Bars of statements per theme, in the order of the themes."""
    title = "What the themes mean to people"
    if counts.empty or counts["statements"].sum() == 0:
        return empty_state(title, "No statements yet")
    fig = go.Figure(
        go.Bar(
            x=[safe_label(t, width=18) for t in counts["theme"]],
            y=counts["statements"],
            marker_color=PALETTE[2],
            text=counts["statements"],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 480)
