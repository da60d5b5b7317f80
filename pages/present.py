"""Present: the projector screen. Large type, the join code and QR, live numbers and ranking."""

import html
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from pages import ui
from workshop import actions, analytics, charts
from workshop.model import Phase, Workshop

st.set_page_config(
    page_title="Cocreate · Present", page_icon="📽️", layout="wide", initial_sidebar_state="collapsed"
)
ui.page_style(large=True)
store = ui.store()
live = ui.live()


@dataclass(frozen=True)
class Screen:
    """Everything the projector shows for one version of the workshop's data."""

    workshop: Workshop
    joined: int
    contributed: int
    statements: int
    dots: int
    voters: int
    ranking: go.Figure
    per_theme: go.Figure
    agreement: go.Figure
    matrix: go.Figure | None


def build_screen(workshop_id: int) -> Screen:
    workshop = store.workshop(workshop_id)
    counts = analytics.participation(store, workshop_id, workshop.phase)
    cast = analytics.votes_cast(store, workshop_id)
    per_theme = analytics.statements_per_theme(store, workshop_id)
    ranking = analytics.needs_ranking(store, workshop_id)
    ranks = {need_id: rank for rank, need_id in enumerate(ranking["id"], start=1)}
    return Screen(
        workshop=workshop,
        joined=counts["joined"],
        contributed=counts["contributed"],
        statements=int(per_theme["statements"].sum()),
        dots=cast["dots"],
        voters=cast["voters"],
        ranking=charts.needs_ranking(ranking, joined=counts["joined"]),
        per_theme=charts.statements_per_theme(per_theme),
        agreement=charts.agreement(analytics.agreement(store, workshop_id)),
        matrix=charts.importance_capability(analytics.importance_capability(store, workshop_id), ranks)
        if workshop.rate_needs
        else None,
    )


presented = ui.shown_error(actions.presented_workshop, store, st.query_params.get("p"))
if presented is None:
    st.stop()


def number(value: int | str, label: str) -> str:
    return f"<div><div class='cc-big'>{html.escape(str(value))}</div><div class='cc-label'>{html.escape(label)}</div></div>"


@st.fragment(run_every=1)
def screen(workshop_id: int) -> None:
    """Redrawn every second from the cached screen for the current data version."""
    s = live.get("present", workshop_id, lambda: build_screen(workshop_id))
    w = s.workshop
    left = ui.remaining(w.timer_ends_at, store.now())
    header, join, qr_small = st.columns([6, 3, 1])
    with header:
        st.html(
            f"<div class='cc-present'><h1>{html.escape(w.title)}</h1>"
            f"<div class='cc-label'>Phase: {w.phase.label}{' · ⏱ ' + left if left else ''}</div></div>"
        )
    with join:
        st.html(f"<div class='cc-present' style='text-align:right'><div class='cc-label'>Join with code</div>"
                f"<div class='cc-code'>{w.code}</div></div>")  # fmt: skip
    if w.phase is not Phase.LOBBY:
        qr_small.image(ui.qr_png(ui.join_url(w.code)), use_container_width=True)

    if w.phase is Phase.LOBBY:
        qr, info = st.columns([1, 2])
        qr.image(ui.qr_png(ui.join_url(w.code)), use_container_width=True)
        with info:
            st.html(
                "<div class='cc-present'>"
                f"<div class='cc-label'>Open</div><div style='font-size:2.4rem'>{html.escape(ui.join_url(w.code))}</div>"
                f"<div style='display:flex;gap:4rem;margin-top:2rem'>{number(s.joined, 'people joined')}</div></div>"
            )
            st.html(f"<div class='cc-present' style='margin-top:1rem'>{html.escape(w.strategy)}</div>")
        return

    numbers = [number(s.joined, "joined")]
    if w.phase is Phase.SHARE:
        numbers += [number(s.statements, "statements"), number(s.contributed, "have shared")]
    elif w.phase is Phase.PROPOSE:
        numbers += [number(s.contributed, "have proposed or backed")]
    elif w.phase in (Phase.VOTE, Phase.RESULTS, Phase.CLOSED):
        numbers += [number(s.dots, "dots placed"), number(s.voters, "have voted")]
    st.html(f"<div class='cc-present' style='display:flex;gap:4rem'>{''.join(numbers)}</div>")

    if w.phase is Phase.SHARE:
        left_chart, right_chart = st.columns(2)
        left_chart.plotly_chart(s.per_theme, use_container_width=True, key="per_theme")
        right_chart.plotly_chart(s.agreement, use_container_width=True, key="agreement")
    elif w.phase is not Phase.PROPOSE and w.counts_visible:
        if s.matrix is None:
            st.plotly_chart(s.ranking, use_container_width=True, key="ranking")
        else:
            left_chart, right_chart = st.columns([3, 2])
            left_chart.plotly_chart(s.ranking, use_container_width=True, key="ranking")
            right_chart.plotly_chart(s.matrix, use_container_width=True, key="matrix")
    elif w.phase is not Phase.PROPOSE:
        st.html(
            "<div class='cc-present cc-label'>The ranking appears when the facilitator reveals the results.</div>"
        )


screen(presented.id)
