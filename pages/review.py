"""Review: what leaders read after workshops — the session summary, insight across
sessions, follow-up actions, exports. The organisation key opens every workshop; a
facilitator key opens its own."""

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import streamlit as st

import ui
from workshop import actions, analytics, charts, exports, review, settings
from workshop.model import Access, FollowUpStatus, Workshop

st.set_page_config(page_title="Cocreate · Review", page_icon="📊", layout="wide")
ui.page_style()
store = ui.store()
MIN_TEAM = settings.min_team_size()


token = st.query_params.get("s")
access = ui.shown_error(actions.access_for, store, token) if token else None
if access is None:
    ui.leader_sign_in(
        "Review",
        "Open the summaries with the organisation key (all workshops) or a workshop's facilitator key.",
        "review",
    )
    st.stop()

workshops = actions.reviewable_workshops(store, access)
st.title("Review")
st.page_link("pages/library.py", label="Practice library", icon="📚", query_params={"s": token})
ui.show_messages()
if not workshops:
    st.info("There are no workshops to review yet.")
    st.stop()


def label(w: Workshop) -> str:
    return f"{w.title} · {w.code} · {w.created_at:%Y-%m-%d} · {w.phase.label}"


def chart(figure, key: str) -> None:
    st.plotly_chart(figure, width="stretch", key=key, theme=None)


def session_tab(access: Access) -> None:
    chosen = st.selectbox("Workshop", workshops, format_func=label, key="review_workshop")
    summary = review.session_summary(store, chosen.id, MIN_TEAM)
    for column, (name, value) in zip(st.columns(6), summary.headline(), strict=True):
        column.metric(name, value)

    st.subheader("What the themes mean to people")
    for theme in summary.themes:
        with st.expander(ui.md(theme.title), expanded=True):
            if theme.terms:
                st.caption("Key terms: " + ui.md(", ".join(theme.terms)))
            if not theme.top_statements:
                st.caption("No statements on this theme.")
            for text, team, agree in theme.top_statements:
                with st.container(border=True):
                    st.text(text)
                    st.caption(ui.md(" · ".join(([team] if team else []) + [f"{agree} agree"])))

    st.subheader("Development needs, most dots first")
    table = summary.needs_table.copy()
    answered = {}
    for follow_up in actions.follow_ups(store, access, [chosen.id]):
        for need_id in follow_up.need_ids:
            answered.setdefault(need_id, []).append(f"{follow_up.title} ({follow_up.status.value})")
    table["follow-up"] = table["id"].map(lambda i: "; ".join(answered.get(i, [])))
    if table.empty:
        st.caption("No development needs were proposed.")
    else:
        st.dataframe(table.drop(columns=["id"]), hide_index=True, width="stretch", key="review_needs")
        left, right = st.columns(2)
        with left:
            chart(summary.ranking, "review_ranking")
        with right:
            chart(summary.matrix, "review_matrix")
        chart(summary.heatmap, "review_heatmap")
        st.caption(f'Teams with fewer than {MIN_TEAM} people are shown together as "other".')
    with st.expander(f"Moderation: hidden needs ({len(summary.hidden_needs)}) and what was merged or hidden"):
        st.dataframe(summary.hidden_needs, hide_index=True, width="stretch")
        st.dataframe(summary.moderation, hide_index=True, width="stretch")


def across_tab(access: Access) -> None:
    if len(workshops) < 2:
        st.info("Insight across sessions needs at least two workshops that this key opens.")
        return
    first = min(w.created_at.date() for w in workshops)
    a, b, c = st.columns([2, 2, 3])
    since = a.date_input("From", value=first, key="across_from")
    until = b.date_input("To", value=date.today(), key="across_to")
    words = c.text_input("Title contains", key="across_title")
    matching = [
        w
        for w in workshops
        if since <= w.created_at.date() <= until and words.strip().lower() in w.title.lower()
    ]
    chosen = st.multiselect(
        "Workshops", matching, default=matching, format_func=label, key="across_workshops"
    )
    ids = [w.id for w in chosen]
    if not ids:
        st.caption("Choose at least one workshop.")
        return
    recurring = review.recurring_needs(store, ids)
    priorities = review.priorities_by_team(store, recurring, ids, MIN_TEAM)
    teams = sorted(priorities["team"].unique().tolist())
    shown_teams = st.multiselect("Teams", teams, default=teams, key="across_teams")
    st.subheader("Needs that recur")
    if recurring.empty:
        st.caption("No development needs in these workshops.")
        return
    groups = (
        recurring.groupby(["group", "label"], sort=False)
        .agg(workshops=("workshop_id", "nunique"), needs=("id", "count"), dots=("dots", "sum"))
        .reset_index()
        .drop(columns="group")
    )
    st.dataframe(groups, hide_index=True, width="stretch", key="across_groups")
    with st.expander("Where each came from"):
        st.dataframe(
            recurring[["label", "text", "workshop", "code", "held_on", "dots", "backers"]],
            hide_index=True,
            width="stretch",
        )
    left, right = st.columns(2)
    with left:
        chart(charts.team_priorities(priorities[priorities["team"].isin(shown_teams)]), "across_priorities")
    with right:
        chart(charts.support_over_time(review.support_over_time(recurring)), "across_time")


def follow_up_tab(access: Access) -> None:
    st.write("Turn needs into development actions, and keep track of them.")
    needs = analytics.needs_across(store, [w.id for w in workshops])
    options = {row.id: f"#{row.id} {row.text} ({row.code})" for row in needs.itertuples()}
    with st.form("follow_up", clear_on_submit=True):
        title = st.text_input("Action", max_chars=200, key="follow_title")
        a, b, c = st.columns(3)
        owner = a.text_input("Owner", max_chars=80, key="follow_owner")
        due = b.date_input("Due", value=None, key="follow_due")
        status = c.selectbox("Status", [s.value for s in FollowUpStatus], key="follow_status")
        chosen = st.multiselect(
            "Needs it answers", list(options), format_func=options.get, key="follow_needs"
        )
        if st.form_submit_button("Add the action", type="primary", key="follow_submit"):
            done = ui.shown_error(
                lambda: actions.create_follow_up(
                    store, access, title, chosen, owner=owner or None, due_date=due, status=status
                )
            )
            if done is not None:
                ui.confirm("Action added")
                st.rerun()
    listed = actions.follow_ups(store, access)
    wanted = st.multiselect(
        "Show",
        [s.value for s in FollowUpStatus],
        default=[s.value for s in FollowUpStatus],
        key="follow_filter",
    )
    texts = dict(zip(needs["id"], needs["text"], strict=True))
    for f in [f for f in listed if f.status.value in wanted]:
        with st.container(border=True):
            st.text(f.title)
            due = f", due {f.due_date:%Y-%m-%d}" if f.due_date else ""
            st.caption(
                ui.md(
                    f"{f.owner or 'no owner'}{due} · answers: "
                    + "; ".join(texts.get(n, f"#{n}") for n in f.need_ids)
                )
            )
            a, b = st.columns([2, 1])
            a.selectbox(
                "Status",
                [s.value for s in FollowUpStatus],
                index=list(FollowUpStatus).index(f.status),
                key=f"follow_status_{f.id}",
                label_visibility="collapsed",
            )
            b.button(
                "Save status",
                key=f"follow_save_{f.id}",
                on_click=lambda f=f: ui.act(
                    actions.update_follow_up,
                    store,
                    access,
                    f.id,
                    title=f.title,
                    owner=f.owner,
                    due_date=f.due_date,
                    status=st.session_state[f"follow_status_{f.id}"],
                    done="Saved",
                ),
            )
    if not listed:
        st.caption("No follow-up actions yet.")


def exports_tab(access: Access) -> None:
    chosen = st.selectbox("Workshop", workshops, format_func=label, key="export_workshop")
    st.caption(
        f"Exports leave out keys and tokens, names from anonymous workshops, and teams under {MIN_TEAM} people."
    )
    if st.button("Prepare the exports", key="export_prepare", type="primary"):
        with st.spinner("Preparing the exports…"):
            summary = review.session_summary(store, chosen.id, MIN_TEAM)
            follow = actions.follow_ups(store, access, [chosen.id])
            files = {
                "html": exports.html_report(summary, follow).encode(),
                "md": exports.markdown_report(summary, follow).encode(),
            }
            with tempfile.TemporaryDirectory() as tmp:
                for fmt in ("csv", "parquet"):
                    buffer = io.BytesIO()
                    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                        for path in exports.export_tables(store, chosen.id, fmt, Path(tmp) / fmt, MIN_TEAM):
                            archive.write(path, path.name)
                    files[fmt] = buffer.getvalue()
                (xlsx,) = exports.export_tables(store, chosen.id, "xlsx", Path(tmp) / "xlsx", MIN_TEAM)
                files["xlsx"] = xlsx.read_bytes()
        st.session_state["exports"] = (chosen.id, files)
    prepared = st.session_state.get("exports")
    if prepared and prepared[0] == chosen.id:
        files = prepared[1]
        name = f"cocreate-{chosen.code}"
        cols = st.columns(5)
        cols[0].download_button("Report (HTML)", files["html"], f"{name}.html", "text/html", key="dl_html")
        cols[1].download_button("Summary (Markdown)", files["md"], f"{name}.md", "text/markdown", key="dl_md")
        cols[2].download_button(
            "Workbook (Excel)",
            files["xlsx"],
            f"{name}.xlsx",
            key="dl_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        cols[3].download_button(
            "Tables (CSV, zip)", files["csv"], f"{name}-csv.zip", "application/zip", key="dl_csv"
        )
        cols[4].download_button(
            "Tables (Parquet, zip)",
            files["parquet"],
            f"{name}-parquet.zip",
            "application/zip",
            key="dl_parquet",
        )


tabs = st.tabs(["Session summary", "Across sessions", "Follow-up actions", "Exports"])
for tab, show in zip(tabs, (session_tab, across_tab, follow_up_tab, exports_tab), strict=True):
    with tab:
        show(access)
