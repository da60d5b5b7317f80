"""Present: the projector screen. Large type, the join code and QR, live numbers and charts.

A tiny fragment checks every second whether the workshop's data changed; only then is the
page redrawn, from one screen per data version shared by every projector
(workshop.screens builds it; the live cache keeps it).
"""

import html
import time

import streamlit as st

from pages import ui
from workshop import actions
from workshop.model import Phase
from workshop.screens import PresentScreen, present_screen

st.set_page_config(
    page_title="Cocreate · Present", page_icon="📽️", layout="wide", initial_sidebar_state="collapsed"
)
ui.page_style(large=True)
store = ui.store()
live = ui.live()

ROTATE_SECONDS = 8

presented = ui.shown_error(actions.presented_workshop, store, st.query_params.get("p"))
if presented is None:
    st.stop()


def in_turn(items: tuple, per_page: int = 1) -> tuple:
    """The items to show now: the list advances a page every ROTATE_SECONDS."""
    if len(items) <= per_page:
        return items
    pages = (len(items) + per_page - 1) // per_page
    page = rotation() % pages
    return items[page * per_page : (page + 1) * per_page]


def header(s: PresentScreen, version: int) -> None:
    w = s.workshop
    title, join, qr = st.columns([6, 3, 1])
    with title:
        st.html(f"<div class='cc-present'><h1>{html.escape(w.title)}</h1></div>")
        watch(w.id, version, rotation())
    join.html(
        "<div class='cc-present' style='text-align:right'><div class='cc-label'>Join with code</div>"
        f"<div class='cc-code'>{w.code}</div></div>"
    )
    if w.phase is not Phase.LOBBY:
        qr.html(ui.qr_html(ui.join_url(w.code)))


def numbers(s: PresentScreen) -> None:
    cells = "".join(
        f"<div><div class='cc-big'>{n.value}</div><div class='cc-label'>{html.escape(n.label)}</div></div>"
        for n in s.numbers
    )
    st.html(f"<div class='cc-present' style='display:flex;gap:4rem'>{cells}</div>")


def wall(items: tuple[tuple[str, str], ...]) -> None:
    cards = "".join(
        f"<div class='cc-wall'><div class='cc-label'>{html.escape(theme)}</div>{html.escape(text)}</div>"
        for theme, text in in_turn(items, per_page=3)
    )
    st.html(f"<div class='cc-present'>{cards}</div>")


def lobby(s: PresentScreen) -> None:
    w = s.workshop
    qr, info = st.columns([1, 2])
    qr.html(ui.qr_html(ui.join_url(w.code)))
    with info:
        st.html(
            "<div class='cc-present'><div class='cc-label'>Open</div>"
            f"<div style='font-size:2.4rem'>{html.escape(ui.join_url(w.code))}</div></div>"
        )
        numbers(s)
        themes = "".join(f"<li>{html.escape(t.title)}</li>" for t in w.themes)
        st.html(
            f"<div class='cc-present' style='margin-top:1rem'>{html.escape(w.strategy)}<ul>{themes}</ul></div>"
        )


def rotation() -> int:
    """Which page of the rotating wall and key terms is on now."""
    return int(time.time() // ROTATE_SECONDS)


@st.fragment(run_every=1)
def watch(workshop_id: int, shown_version: int, shown_rotation: int) -> None:
    """Every second, and kept tiny: redraw the page when the data changed or the wall turns;
    otherwise only the phase line and timer are sent again."""
    if store.version(workshop_id) != shown_version or rotation() != shown_rotation:
        st.rerun(scope="app")
    w = ui.current_workshop(workshop_id)
    left = ui.remaining(w.timer_ends_at, store.now())
    st.html(
        f"<div class='cc-present'><div class='cc-label'>Phase: {w.phase.label}"
        + (f" · <span class='cc-timer'>⏱ {html.escape(left)}</span>" if left else "")
        + "</div></div>"
    )


def screen(workshop_id: int) -> None:
    """The cached screen for the current data version, shared by every projector."""
    version = store.version(workshop_id)  # read first: a later write then triggers a redraw
    s = live.get(
        "present",
        workshop_id,
        lambda: present_screen(store, workshop_id, live.previous("present", workshop_id)),
    )
    header(s, version)
    if s.workshop.phase is Phase.LOBBY:
        lobby(s)
        return
    numbers(s)
    if s.note:
        st.html(f"<div class='cc-present cc-label'>{html.escape(s.note)}</div>")
    cells = list(s.charts)
    if s.terms:
        cells.append(("terms", in_turn(s.terms)[0][1]))
    if s.wall:
        cells.append(("wall", s.wall))
    for row in range(0, len(cells), 2):
        columns = st.columns(2) if len(cells) > 1 else [st.container()]
        for column, (key, content) in zip(columns, cells[row : row + 2], strict=False):
            with column:
                if key == "wall":
                    wall(content)
                else:
                    st.plotly_chart(content, width="stretch", key=key, theme=None)


screen(presented.id)
