"""Present: the projector screen. Large type, the join code and QR, live numbers and charts.

The page runs once: the projector component draws the screen and keeps it live from the
server's stream, one view per version of the workshop's data shared by every projector
(ui/components/projector.py, web/feeds.py).
"""

import streamlit as st

import ui
from ui.components import projector
from workshop import actions, i18n, screens, views
from workshop.i18n import _

ui.use_language()
st.set_page_config(
    page_title=_("Cocreate · Present"), page_icon="📽️", layout="wide", initial_sidebar_state="collapsed"
)
ui.page_style(large=True)
store = ui.store()
live = ui.live()

presented = ui.shown_error(actions.presented_workshop, store, st.query_params.get("p"))
if presented is None:
    st.stop()
i18n.activate(presented.language)  # the projector speaks the room's language, whoever opened it

view, ends_at, _redo_at = screens.projector_view(store, live, presented.id)
projector.draw(view, views.seconds_left(store, ends_at), presented.code, st.query_params["p"])
