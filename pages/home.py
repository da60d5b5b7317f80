"""Home: what Cocreate is, a join box, and the ways in for facilitators and leaders."""

import streamlit as st

import ui
from workshop import actions

st.set_page_config(page_title="Cocreate", page_icon="🤝", layout="centered")
ui.page_style()

st.title("Cocreate")
st.markdown(
    "Live co-creation workshops that link a strategy to the development needs of the people "
    "who carry it out. Say what each strategy theme means for your work, propose what your team "
    "needs to learn, and vote together — the room sees the results live."
)

with st.form("join", border=True):
    st.subheader("Join a workshop")
    code = st.text_input("Workshop code", max_chars=12, placeholder="e.g. K7P2QX", key="home_code")
    if st.form_submit_button("Join", type="primary", key="home_join"):
        workshop = ui.shown_error(actions.find_workshop, ui.store(), code)
        if workshop is not None:
            st.switch_page("pages/participate.py", query_params={"code": workshop.code})

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader("Run a workshop")
    st.write("Create a workshop from a template or from scratch, or open one you run with its key.")
    if st.button("Create or open a workshop", key="home_facilitate"):
        st.switch_page("pages/facilitate.py")
with right, st.container(border=True):
    st.subheader("Review results")
    st.write("Session summaries and exports, with an organisation or facilitator key.")
    if st.button("Open Review", key="home_review"):
        st.switch_page("pages/review.py")
