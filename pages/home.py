"""Home: what Cocreate is, a join box, and the ways in for facilitators and leaders."""

import streamlit as st

import ui
from workshop import actions
from workshop.i18n import _

ui.use_language()
st.set_page_config(page_title=_("Cocreate"), page_icon="🤝", layout="centered")
ui.page_style()
ui.language_picker()

st.title(_("Cocreate"))
st.markdown(
    _(
        "Live co-creation workshops that link a strategy to the development needs of the people "
        "who carry it out. Say what each strategy theme means for your work, propose what your team "
        "needs to learn, and vote together — the room sees the results live."
    )
)

with st.form("join", border=True):
    st.subheader(_("Join a workshop"))
    code = st.text_input(_("Workshop code"), max_chars=12, placeholder=_("e.g. K7P2QX"), key="home_code")
    if st.form_submit_button(_("Join"), type="primary", key="home_join"):
        workshop = ui.shown_error(actions.find_workshop, ui.store(), code)
        if workshop is not None:
            st.switch_page(
                "pages/participate.py", query_params={"code": workshop.code, **ui.language_param()}
            )

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(_("Run a workshop"))
    st.write(_("Create a workshop from a template or from scratch, or open one you run with its key."))
    if st.button(_("Create or open a workshop"), key="home_facilitate"):
        st.switch_page("pages/facilitate.py", query_params=ui.language_param())
with right, st.container(border=True):
    st.subheader(_("Review results"))
    st.write(_("Session summaries and exports, with an organisation or facilitator key."))
    if st.button(_("Open Review"), key="home_review"):
        st.switch_page("pages/review.py", query_params=ui.language_param())
