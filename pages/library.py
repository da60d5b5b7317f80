"""The practice library: what already works, shared in every workshop, for leaders and
facilitators (the organisation key, or a workshop's facilitator key, as on Review). Found by
words, theme, team and date; how many teams do it and how many would like to try it. A
facilitator shows a practice of an earlier workshop to the people of theirs."""

from datetime import datetime, time

import streamlit as st

import ui
from workshop import actions, settings, views

st.set_page_config(page_title="Cocreate · Practice library", page_icon="📚", layout="wide")
ui.page_style()
store = ui.store()

PAGE = 30  # practices drawn at a time


token = st.query_params.get("s")
access = ui.shown_error(actions.access_for, store, token) if token else None
if access is None:
    ui.leader_sign_in(
        "Practice library",
        "What already works, from every workshop. Open it with the organisation key or a workshop's facilitator key.",
        "library",
    )
    st.stop()

st.page_link("pages/review.py", label="Review", icon="📊", query_params={"s": token})
st.title("Practice library")
ui.show_messages()
themes = store.library_themes()
if not themes:
    st.info(
        "No practices shared yet. Workshops ask for them in the Share phase: “What already works for you here?”"
    )
    st.stop()
st.caption("What already works, shared in every workshop: who does it, and who would like to try it.")

words, theme_col, team_col, since_col = st.columns([3, 2, 2, 2])
text = words.text_input("Search", key="library_search", placeholder="words of a title or description")
theme = theme_col.selectbox("Theme", ["All themes", *themes], key="library_theme")
team = team_col.selectbox(
    "Team", ["All teams", *store.library_teams(settings.min_team_size())], key="library_team"
)
since = since_col.date_input("Shared since", value=None, key="library_since")

found = views.library(
    store,
    text.strip(),
    "" if theme == "All themes" else theme,
    "" if team == "All teams" else team,
    datetime.combine(since, time.min) if since else None,
    limit=10_000,
)
featuring = actions.facilitated_workshop(store, access) if access.role == "facilitator" else None
shown_here = {p.id for p in store.practices(featuring.id) if p.featured} if featuring else set()
st.subheader(f"{views.plural(len(found), 'practice')} found" if found else "No practice matches")
shown = st.session_state.setdefault("library_shown", PAGE)
for practice in found[:shown]:
    with st.container(border=True):
        text_col, button_col = st.columns([5, 1])
        with text_col:
            ui.heading(practice["title"], level=5)
            st.text(practice["description"])
            source = [
                practice["theme"],
                practice["author"],
                practice["team"],
                f"from “{practice['workshop']}”",
            ]
            st.caption(
                ui.md(
                    " · ".join(filter(None, source))
                    + f" · {practice['shared_at'][:10]} · {practice['do_too']} do this too"
                    + f" · {practice['want_to_try']} would like to try it"
                )
            )
        if featuring is not None and practice["workshop_id"] != featuring.id:
            on = practice["id"] in shown_here
            button_col.button(
                "✓ Shown in my workshop" if on else "Show in my workshop",
                key=f"feature_{practice['id']}",
                help=f"Show it to the people of “{featuring.title}” beside their own practices",
                on_click=ui.act,
                args=(actions.feature_practice, store, access, practice["id"], not on),
                kwargs={"done": "Shown in your workshop" if not on else "No longer shown in your workshop"},
            )
if len(found) > shown and st.button(f"Show {min(PAGE, len(found) - shown)} more", key="library_more"):
    st.session_state["library_shown"] = shown + PAGE
    st.rerun()
