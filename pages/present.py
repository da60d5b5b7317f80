"""Present: the projector screen. Large type, the join code and QR, live numbers and charts.

The page runs once: the `projector` component draws the screen and keeps it live from the
server's stream, one view per version of the workshop's data shared by every projector
(pages/projector.py, pages/api.py). Only a projector that cannot reach the stream asks the
page's fragment to draw it again.
"""

import streamlit as st

from pages import projector, ui
from workshop import actions

st.set_page_config(
    page_title="Cocreate · Present", page_icon="📽️", layout="wide", initial_sidebar_state="collapsed"
)
ui.page_style(large=True)
store = ui.store()
live = ui.live()

presented = ui.shown_error(actions.presented_workshop, store, st.query_params.get("p"))
if presented is None:
    st.stop()


@st.fragment
def screen(workshop_id: int) -> None:
    """The screen as it is now; the component follows the room from there."""
    view, ends_at = projector.current(store, live, workshop_id)
    seconds_left = projector.ends_in(store, ends_at)
    projector.draw(view, seconds_left, presented.code, st.query_params["p"], on_check=lambda: None)


screen(presented.id)
