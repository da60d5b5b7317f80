"""Review: session summaries for leaders (organisation key) and facilitators (their own workshop)."""

import streamlit as st

from pages import ui
from workshop import actions, analytics

st.set_page_config(page_title="Cocreate · Review", page_icon="📊", layout="wide")
ui.page_style()
store = ui.store()


def sign_in() -> None:
    ui.go_home_link()
    st.title("Review")
    st.write("Open the summaries with the organisation key (all workshops) or a workshop's facilitator key.")
    organisation, facilitator = st.tabs(["Organisation key", "Facilitator key"])
    with organisation, st.form("review_org"):
        key = st.text_input("Organisation key", type="password", key="review_org_key")
        if st.form_submit_button("Open", type="primary", key="review_org_submit"):
            ui.open_session(lambda: actions.open_as_organisation(store, key, ui.organisation_key()))
    with facilitator:
        ui.facilitator_key_form("review")


token = st.query_params.get("s")
access = ui.shown_error(actions.access_for, store, token) if token else None
if access is None:
    sign_in()
    st.stop()

workshops = actions.reviewable_workshops(store, access)
st.title("Review")
if not workshops:
    st.info("There are no workshops to review yet.")
    st.stop()
chosen = st.selectbox(
    "Workshop",
    workshops,
    format_func=lambda w: f"{w.title} · {w.code} · {w.created_at:%Y-%m-%d} · {w.phase.label}",
    key="review_workshop",
)
summary = analytics.summary(store, chosen.id)

a, b, c, d, e = st.columns(5)
a.metric("Joined", summary["participants"])
b.metric("Statements", summary["statements"])
c.metric("Development needs", summary["needs_count"])
d.metric("Dots placed", summary["dots_total"])
share_voted = summary["voters"] / summary["participants"] if summary["participants"] else 0
e.metric("Voted", f"{share_voted:.0%}")

st.subheader("Development needs, most dots first")
needs = [n for n in summary["needs"] if not n["hidden"]]
if needs:
    table = [
        {"rank": i, "need": n["text"], "theme": n["theme"], "dots": n["dots"], "backers": n["backers"],
         "merged from": ", ".join(f"#{m}" for m in n["merged_from"])}
        for i, n in enumerate(needs, start=1)
    ]  # fmt: skip
    st.dataframe(table, hide_index=True, use_container_width=True)
else:
    st.caption("No development needs were proposed.")
hidden = [n for n in summary["needs"] if n["hidden"]]
if hidden:
    with st.expander(f"Hidden by the facilitator ({len(hidden)})"):
        st.dataframe([{"need": n["text"], "theme": n["theme"]} for n in hidden], hide_index=True)

st.subheader("Statements per theme")
statements = analytics.statements_table(store, chosen.id)
if statements.empty:
    st.caption("No statements were shared.")
else:
    for theme, rows in statements.groupby("theme", sort=False):
        with st.expander(ui.md(f"{theme} ({len(rows)})")):
            st.dataframe(rows.drop(columns=["theme"]), hide_index=True, use_container_width=True)

ranking = analytics.needs_ranking(store, chosen.id)
st.download_button(
    "Download needs (CSV)",
    ranking.to_csv(index=False).encode("utf-8"),
    file_name=f"cocreate-{chosen.code}-needs.csv",
    mime="text/csv",
    key="download_needs",
)
