"""Review: what leaders read after workshops — the session summary, insight across
sessions, follow-up actions, exports. The organisation key opens every workshop; a
facilitator key opens its own."""

import io
import tempfile
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import streamlit as st

import ui
from ui import stories
from workshop import actions, analytics, charts, exports, i18n, review, settings, views
from workshop.i18n import _, ngettext
from workshop.model import Access, FollowUp, FollowUpStatus, Phase, Workshop

ui.use_language()
st.set_page_config(page_title=_("Cocreate · Review"), page_icon="📊", layout="wide")
ui.page_style()
store = ui.store()
MIN_TEAM = settings.min_team_size()
HELP_SHOWN = 20  # pairs listed on the summary (the exports hold them all)


def sign_in() -> None:
    ui.language_picker()
    ui.go_home_link()
    st.title(_("Review"))
    st.write(
        _("Open the summaries with the organisation key (all workshops) or a workshop's facilitator key.")
    )
    organisation, facilitator = st.tabs([_("Organisation key"), _("Facilitator key")])
    with organisation, st.form("review_org"):
        key = st.text_input(_("Organisation key"), type="password", key="review_org_key")
        if st.form_submit_button(_("Open"), type="primary", key="review_org_submit"):
            ui.open_session(
                lambda: actions.open_as_organisation(
                    store, key, ui.organisation_key(), source=ui.guess_source()
                )
            )
    with facilitator:
        ui.facilitator_key_form("review")


token = st.query_params.get("s")
access = ui.shown_error(actions.access_for, store, token) if token else None
if access is None:
    sign_in()
    st.stop()

# A facilitator's Review speaks their workshop's language (unless they chose another).
own = store.workshop(access.workshop_id) if access.workshop_id is not None else None
ui.use_language(own.language if own else None)
ui.language_picker()
workshops = actions.reviewable_workshops(store, access)
st.title(_("Review"))
ui.show_messages()
if not workshops:
    st.info(_("There are no workshops to review yet."))
    st.stop()


def status_label(value: str) -> str:
    return FollowUpStatus(value).label


def label(w: Workshop) -> str:
    return f"{w.title} · {w.code} · {i18n.format_date(w.created_at)} · {w.phase.label}"


def chart(figure, key: str) -> None:
    st.plotly_chart(figure, width="stretch", key=key, theme=None)


def checkin(access: Access, chosen: Workshop) -> None:
    """The check-in after a workshop: opened and closed here; how capability moved."""
    chosen = store.workshop(chosen.id) or chosen  # as it is now (the choice keeps the workshop as first read)
    st.subheader(_("Check-in: capability since the workshop"))
    if chosen.phase is Phase.CLOSED:
        st.button(
            _("Close the check-in") if chosen.checkin_open else _("Open the check-in"),
            key="checkin_toggle",
            help=_(
                "People who rated needs at the workshop rate their team's capability again on their own link."
            ),
            on_click=ui.act,
            args=(actions.open_checkin, store, access, chosen.id, not chosen.checkin_open),
            kwargs={
                "done": _("Check-in closed")
                if chosen.checkin_open
                else _("Check-in open: people see it on their link")
            },
        )
    else:
        st.caption(
            _("Close the workshop to ask its people again, in a check-in, how well their teams do today.")
        )
    change = analytics.checkin_change(store, chosen.id, MIN_TEAM)
    if change.empty and chosen.checkin_open:
        st.caption(
            _(
                "The change shows here once {n} people of a team (or of the smaller teams together) have checked in on a need: fewer would show a person's own answer."
            ).format(n=MIN_TEAM)
        )
    if not change.empty:
        chart(charts.checkin_change(change), "review_checkin")
        st.dataframe(
            exports.labelled(change.drop(columns=["id"]).round(1)),
            hide_index=True,
            width="stretch",
            key="review_checkin_table",
        )


def session_tab(access: Access) -> None:
    chosen = st.selectbox(_("Workshop"), workshops, format_func=label, key="review_workshop")
    summary = review.session_summary(store, chosen.id, MIN_TEAM)
    for column, (name, value) in zip(st.columns(6), summary.headline(), strict=True):
        column.metric(name, value)

    st.subheader(_("What the themes mean to people"))
    for theme in summary.themes:
        with st.expander(ui.md(theme.title), expanded=True):
            if theme.terms:
                st.caption(ui.md(_("Key terms: {terms}").format(terms=", ".join(theme.terms))))
            if not theme.top_statements:
                st.caption(_("No statements on this theme."))
            for text, team, agree in theme.top_statements:
                with st.container(border=True):
                    st.text(text)
                    st.caption(
                        ui.md(
                            " · ".join(
                                ([charts.team_name(team)] if team else [])
                                + [ngettext("{n} agrees", "{n} agree", agree).format(n=agree)]
                            )
                        )
                    )

    st.subheader(_("Development needs, most dots first"))
    table = review.needs_and_follow_ups(summary.needs_table, actions.follow_ups(store, access, [chosen.id]))
    if table.empty:
        st.caption(_("No development needs were proposed."))
    else:
        st.dataframe(
            exports.labelled(table.drop(columns=["id"])), hide_index=True, width="stretch", key="review_needs"
        )
        left, right = st.columns(2)
        with left:
            chart(summary.ranking, "review_ranking")
        with right:
            chart(summary.matrix, "review_matrix")
        chart(summary.heatmap, "review_heatmap")
        chart(summary.themes_by_team, "review_themes_by_team")
        st.caption(
            _('Teams with fewer than {MIN_TEAM} people are shown together as "other".').format(
                MIN_TEAM=MIN_TEAM
            )
        )
        checkin(access, chosen)
        st.subheader(_("How votes moved"))
        st.write(summary.moved_line)
        if summary.moved["moved"]:
            chart(summary.moved_chart, "review_moved")
    st.subheader(_("Who can help whom"))
    st.caption(
        _(
            "Teams that rate a need important and themselves weak, or whose people would like to try a practice, beside the teams that rate themselves strong on it or do it. Teams with fewer than {MIN_TEAM} people are never named here."
        ).format(MIN_TEAM=MIN_TEAM)
    )
    if summary.help_pairs.empty:
        st.caption(
            _(
                "No pairs yet: they come from the teams' ratings and from the practices people would like to try."
            )
        )
    for row in summary.help_pairs.head(HELP_SHOWN).itertuples(index=False):
        with st.container(border=True):
            st.text(_("{value} would learn: {value2}").format(value=row[0], value2=row[1]))
            st.caption(ui.md(_("{value} · can learn from {value2}").format(value=row[2], value2=row[3])))
    if len(summary.help_pairs) > HELP_SHOWN:
        st.caption(
            _("The first {HELP_SHOWN} of {n_help_pairs}: every pair is in the exports.").format(
                HELP_SHOWN=HELP_SHOWN, n_help_pairs=len(summary.help_pairs)
            )
        )
    st.subheader(_("What already works (practices)"))
    if summary.practices.empty:
        st.caption(_("No practices were shared or featured in this workshop."))
    else:
        st.dataframe(
            exports.labelled(summary.practices), hide_index=True, width="stretch", key="review_practices"
        )
    with st.expander(
        _("Moderation: hidden needs ({n_hidden_needs}) and what was merged or hidden").format(
            n_hidden_needs=len(summary.hidden_needs)
        )
    ):
        st.dataframe(exports.labelled(summary.hidden_needs), hide_index=True, width="stretch")
        st.dataframe(exports.labelled(summary.moderation), hide_index=True, width="stretch")


def add_workshop(access: Access) -> None:
    """A facilitator adds another workshop they hold the key of: this Review session then
    spans both (without the organisation key)."""
    if access.role != "facilitator":
        return
    with (
        st.expander(_("Add a workshop you facilitate, with its code and key")),
        st.form("review_add", border=False),
    ):
        code = st.text_input(_("Workshop code"), max_chars=12, key="review_add_code")
        key = st.text_input(_("Its facilitator key"), type="password", key="review_add_key")
        if st.form_submit_button(_("Add it to this review"), key="review_add_submit"):
            added = ui.shown_error(
                lambda: actions.add_workshop_to_review(store, token, code, key, source=ui.guess_source())
            )
            if added is not None:
                # The view across sessions starts again over every workshop, the new one
                # chosen too (its filters and choice were made for the ones before).
                for kept in ACROSS_KEYS:
                    st.session_state.pop(kept, None)
                ui.confirm(_("“{title}” is in this review now").format(title=added.title))
                st.rerun()


ACROSS_KEYS = ("across_from", "across_to", "across_title", "across_workshops")


def feature_target(access: Access) -> Workshop | None:
    """The workshop the library shows practices to: of the rooms this facilitator session
    holds the key of and that are not closed, the one chosen (asked when there are several);
    None for the organisation key, or when every such room has closed (then it says how)."""
    if access.role != "facilitator":
        return None
    targets = actions.featuring_workshops(store, access)
    if not targets:
        own = store.workshop(access.workshop_id)
        st.caption(
            _(
                "This library was opened with the key of “{title}”, which is closed: to show a practice to a room, open the library from that room's facilitator link, or add that room with its key on “Across sessions”."
            ).format(title=own.title if own else "")
        )
        return None
    if len(targets) == 1:
        return targets[0]
    return st.selectbox(
        _("Show practices to the people of"),
        targets,
        format_func=label,
        key="feature_target",
        help=_("The rooms you hold the facilitator key of that have not closed."),
    )


def across_tab(access: Access) -> None:
    add_workshop(access)
    if len(workshops) < 2:
        st.info(_("Insight across sessions needs at least two workshops that this key opens."))
        return
    first = min(w.created_at.date() for w in workshops)
    a, b, c = st.columns([2, 2, 3])
    since = a.date_input(_("From"), value=first, key="across_from")
    until = b.date_input(_("To"), value=date.today(), key="across_to")
    words = c.text_input(_("Title contains"), key="across_title")
    matching = [
        w
        for w in workshops
        if since <= w.created_at.date() <= until and words.strip().lower() in w.title.lower()
    ]
    chosen = st.multiselect(
        _("Workshops"), matching, default=matching, format_func=label, key="across_workshops"
    )
    ids = [w.id for w in chosen]
    if not ids:
        st.caption(_("Choose at least one workshop."))
        return
    recurring = review.recurring_needs(store, ids)
    priorities = review.priorities_by_team(store, recurring, ids, MIN_TEAM)
    teams = sorted(priorities["team"].unique().tolist())
    shown_teams = st.multiselect(
        _("Teams"), teams, default=teams, format_func=charts.team_name, key="across_teams"
    )
    st.subheader(_("Needs that recur"))
    if recurring.empty:
        st.caption(_("No development needs in these workshops."))
        return
    groups = review.recurring_groups(recurring)
    st.dataframe(exports.labelled(groups), hide_index=True, width="stretch", key="across_groups")
    with st.expander(_("Where each came from")):
        st.dataframe(
            exports.labelled(recurring[["label", "text", "workshop", "code", "held_on", "dots", "backers"]]),
            hide_index=True,
            width="stretch",
        )
    left, right = st.columns(2)
    with left:
        chart(charts.team_priorities(priorities[priorities["team"].isin(shown_teams)]), "across_priorities")
    with right:
        chart(charts.support_over_time(review.support_over_time(recurring)), "across_time")


def edit_follow_up(access: Access, f: FollowUp) -> None:
    """Edit an action whole (title, owner, due date, note, outcome: reassign it, close it
    with what came of it), or delete it (its workshops' moderation log keeps a line)."""
    edit, delete = st.columns([1, 1])
    with edit.popover(_("Edit"), width="stretch"), st.form(f"edit_follow_{f.id}", border=False):
        st.text_input(_("Action"), value=f.title, max_chars=200, key=f"edit_title_{f.id}")
        st.text_input(_("Owner"), value=f.owner or "", max_chars=80, key=f"edit_owner_{f.id}")
        st.date_input(_("Due"), value=f.due_date, key=f"edit_due_{f.id}")
        st.text_area(_("Note: how it is going"), value=f.note or "", max_chars=1000, key=f"edit_note_{f.id}")
        st.text_area(
            _("Outcome: what came of it"), value=f.outcome or "", max_chars=1000, key=f"edit_outcome_{f.id}"
        )
        if st.form_submit_button(_("Save the action"), type="primary", key=f"edit_save_{f.id}"):
            value = st.session_state
            ui.act(
                actions.update_follow_up,
                store,
                access,
                f.id,
                title=value[f"edit_title_{f.id}"],
                owner=value[f"edit_owner_{f.id}"] or None,
                due_date=value[f"edit_due_{f.id}"],
                status=f.status,
                note=value[f"edit_note_{f.id}"],
                outcome=value[f"edit_outcome_{f.id}"],
                done=_("Saved"),
            )
            st.rerun()
    with delete.popover(_("Delete"), width="stretch"):
        st.write(_("Delete this action? The moderation log of its workshops keeps its title."))
        st.button(
            _("Delete the action"),
            key=f"delete_follow_{f.id}",
            type="primary",
            on_click=ui.act,
            args=(actions.delete_follow_up, store, access, f.id),
            kwargs={"done": _("Deleted")},
        )


def follow_up_tab(access: Access) -> None:
    st.write(_("Turn needs into development actions, and keep track of them."))
    needs = analytics.needs_across(store, [w.id for w in workshops])
    options = {row.id: f"#{row.id} {row.text} ({row.code})" for row in needs.itertuples()}
    with st.form("follow_up", clear_on_submit=True):
        title = st.text_input(_("Action"), max_chars=200, key="follow_title")
        a, b, c = st.columns(3)
        owner = a.text_input(_("Owner"), max_chars=80, key="follow_owner")
        due = b.date_input(_("Due"), value=None, key="follow_due")
        status = c.selectbox(
            _("Status"), [s.value for s in FollowUpStatus], format_func=status_label, key="follow_status"
        )
        chosen = st.multiselect(
            _("Needs it answers"), list(options), format_func=options.get, key="follow_needs"
        )
        if st.form_submit_button(_("Add the action"), type="primary", key="follow_submit"):
            done = ui.shown_error(
                lambda: actions.create_follow_up(
                    store, access, title, chosen, owner=owner or None, due_date=due, status=status
                )
            )
            if done is not None:
                ui.confirm(_("Action added"))
                st.rerun()
    listed = actions.follow_ups(store, access)
    wanted = st.multiselect(
        _("Show"),
        [s.value for s in FollowUpStatus],
        default=[s.value for s in FollowUpStatus],
        format_func=status_label,
        key="follow_filter",
    )
    texts = dict(zip(needs["id"], needs["text"], strict=True))
    tried = store.practice_titles({p for f in listed for p in f.practice_ids})
    titles = {w.id: w.title for w in workshops}
    history = store.follow_up_history([f.id for f in listed])
    for f in [f for f in listed if f.status.value in wanted]:
        with st.container(border=True):
            st.text(f.title)
            due = _(", due {date}").format(date=i18n.format_date(f.due_date)) if f.due_date else ""
            answers = [texts.get(n, f"#{n}") for n in f.need_ids]
            answers += [
                _("tries “{practice}”").format(practice=tried.get(p, f"#{p}")) for p in f.practice_ids
            ]
            where = (
                ""
                if f.need_ids
                else _(" · for {workshops}").format(
                    workshops=", ".join(titles.get(w, f"#{w}") for w in f.workshop_ids)
                )
            )
            adopted = _(" · adopted") if f.practice_ids and f.status is FollowUpStatus.DONE else ""
            st.caption(
                ui.md(
                    _("{owner}{due} · answers: {answers}").format(
                        owner=f.owner or _("no owner"), due=due, answers="; ".join(answers)
                    )
                    + where
                    + adopted
                )
            )
            st.caption(ui.md(_("Timeline: {steps}").format(steps=review.timeline(history.get(f.id, [])))))
            for label, text in ((_("Note"), f.note), (_("Outcome"), f.outcome)):
                if text:
                    st.text(f"{label}: {text}")
            with st.expander(_("Trace: where it came from")):
                for step in review.trace(store, f, MIN_TEAM):
                    st.text(step["need"])
                    st.caption(
                        ui.md(" · ".join(filter(None, [step["workshop"], step["numbers"], step["teams"]])))
                    )
                    for said in step["said"]:
                        st.text(f"“{said}”")
                    if step["practices"]:
                        st.caption(
                            ui.md(_("Learn from: {practices}").format(practices="; ".join(step["practices"])))
                        )
            if f.practice_ids and f.status is FollowUpStatus.DONE:
                stories.ask_for_story(store, access, f, tried)
            a, b = st.columns([2, 1])
            a.selectbox(
                _("Status"),
                [s.value for s in FollowUpStatus],
                index=list(FollowUpStatus).index(f.status),
                format_func=status_label,
                key=f"follow_status_{f.id}",
                label_visibility="collapsed",
            )
            b.button(
                _("Save status"),
                key=f"follow_save_{f.id}",
                on_click=ui.speaking(
                    lambda f=f: ui.act(
                        actions.update_follow_up,
                        store,
                        access,
                        f.id,
                        title=f.title,
                        owner=f.owner,
                        due_date=f.due_date,
                        status=st.session_state[f"follow_status_{f.id}"],
                        done=_("Saved"),
                    )
                ),
            )
            edit_follow_up(access, f)
    if not listed:
        st.caption(_("No follow-up actions yet."))


def exports_tab(access: Access) -> None:
    chosen = st.selectbox(_("Workshop"), workshops, format_func=label, key="export_workshop")
    st.caption(
        _(
            "Exports leave out keys and tokens, names from anonymous workshops, and teams under {MIN_TEAM} people."
        ).format(MIN_TEAM=MIN_TEAM)
    )
    if st.button(_("Prepare the exports"), key="export_prepare", type="primary"):
        with st.spinner(_("Preparing the exports…")):
            summary = review.session_summary(store, chosen.id, MIN_TEAM)
            follow = actions.follow_ups(store, access, [chosen.id])
            files = {
                "html": exports.html_report(
                    summary, follow, review.action_stories(store, follow, MIN_TEAM)
                ).encode(),
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
        cols[0].download_button(_("Report (HTML)"), files["html"], f"{name}.html", "text/html", key="dl_html")
        cols[1].download_button(
            _("Summary (Markdown)"), files["md"], f"{name}.md", "text/markdown", key="dl_md"
        )
        cols[2].download_button(
            _("Workbook (Excel)"),
            files["xlsx"],
            f"{name}.xlsx",
            key="dl_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        cols[3].download_button(
            _("Tables (CSV, zip)"), files["csv"], f"{name}-csv.zip", "application/zip", key="dl_csv"
        )
        cols[4].download_button(
            _("Tables (Parquet, zip)"),
            files["parquet"],
            f"{name}-parquet.zip",
            "application/zip",
            key="dl_parquet",
        )


LIBRARY_PAGE = 30  # practices drawn at a time


def tidy(access: Access, practice: dict, found: list[dict]) -> None:
    """Archive a practice, or merge it into a duplicate found beside it (this key's own)."""
    pid = practice["id"]
    st.button(
        _("Archive"),
        key=f"archive_{pid}",
        help=_("Take it out of the library and off every board; “Archived practices” brings it back."),
        on_click=ui.act,
        args=(actions.archive_practice, store, access, pid),
        kwargs={"done": _("Archived")},
    )
    others = {
        p["id"]: f"#{p['id']} {p['title']}"
        for p in found
        if p["id"] != pid and access.may_open(p["workshop_id"])
    }
    if others:
        st.selectbox(_("A duplicate of"), list(others), format_func=others.get, key=f"merge_target_{pid}")
        st.button(
            _("Merge into it"),
            key=f"merge_practice_{pid}",
            help=_("Its marks, the needs pointing to it and the actions trying it go to the other one."),
            on_click=ui.speaking(
                lambda: ui.act(
                    actions.merge_practices,
                    store,
                    access,
                    pid,
                    st.session_state[f"merge_target_{pid}"],
                    done=_("Merged"),
                )
            ),
        )


def plan_follow_up(
    access: Access, practice: dict, interest: dict[int, int], mine: dict[int, Workshop]
) -> None:
    """Turn people's wish to try a practice into a follow-up action for one workshop (the
    one where most would like to try it first); done, the practice counts as adopted there."""
    pid = practice["id"]
    choices = sorted(mine, key=lambda w: (-interest.get(w, 0), -mine[w].created_at.timestamp()))

    def named(wid: int) -> str:
        wanting = interest.get(wid, 0)
        return f"{mine[wid].title} · {mine[wid].code}" + (
            " ("
            + ngettext("{n} would like to try it", "{n} would like to try it", wanting).format(n=wanting)
            + ")"
            if wanting
            else ""
        )

    with st.form(f"plan_{pid}", clear_on_submit=True, border=False):
        st.text_input(
            _("Action"),
            value=_("Try “{practice}”").format(practice=practice["title"]),
            max_chars=200,
            key=f"plan_title_{pid}",
        )
        st.selectbox(_("For the people of"), choices, format_func=named, key=f"plan_workshop_{pid}")
        a, b = st.columns(2)
        a.text_input(_("Owner"), max_chars=80, key=f"plan_owner_{pid}")
        b.date_input(_("Due"), value=None, key=f"plan_due_{pid}")
        st.selectbox(
            _("Status"), [s.value for s in FollowUpStatus], format_func=status_label, key=f"plan_status_{pid}"
        )
        if st.form_submit_button(_("Add the action"), type="primary", key=f"plan_submit_{pid}"):
            value = st.session_state
            done = ui.shown_error(
                lambda: actions.create_follow_up(
                    store,
                    access,
                    value[f"plan_title_{pid}"],
                    [],
                    owner=value[f"plan_owner_{pid}"] or None,
                    due_date=value[f"plan_due_{pid}"],
                    status=value[f"plan_status_{pid}"],
                    practices=[(pid, value[f"plan_workshop_{pid}"])],
                )
            )
            if done is not None:
                ui.confirm(_("Follow-up action added: find it under Follow-up actions"))
                st.rerun()


def library_tab(access: Access) -> None:
    """The practice library: what already works, shared in every workshop (for every leader
    and facilitator, whichever workshop their key opens). Found by words, theme, team and
    date; how many do it too and would like to try it. A facilitator shows a practice of an
    earlier workshop to the people of theirs; a leader plans trying one out (a follow-up
    action) and tidies the library: archives a practice, merges duplicates."""
    themes = store.library_themes()
    if not themes:
        st.info(
            _(
                "No practices shared yet. Workshops ask for them in the Share phase: “What already works for you here?”"
            )
        )
        return
    st.caption(
        _(
            "What already works, shared in every workshop: who does it, who would like to try it, "
            "and where an action tried it out."
        )
    )
    adopted = store.adoptions()
    if not adopted.empty:
        with st.expander(
            _("Adopted: {value} a workshop took up a practice").format(
                value=views.plural(len(adopted), "time")
            )
        ):
            chart(charts.adoption_over_time(adopted), "library_adoption")

    words, theme_col, team_col, since_col = st.columns([3, 2, 2, 2])
    text = words.text_input(
        _("Search"), key="library_search", placeholder=_("words of a title or description")
    )
    all_themes, all_teams = _("All themes"), _("All teams")
    theme = theme_col.selectbox(_("Theme"), [all_themes, *themes], key="library_theme")
    team = team_col.selectbox(
        _("Team"), [all_teams, *store.library_teams(settings.min_team_size())], key="library_team"
    )
    since = since_col.date_input(_("Shared since"), value=None, key="library_since")
    archived = st.toggle(
        _("Archived practices"),
        key="library_archived",
        help=_("Those taken out of the library, to bring back"),
    )

    shown = st.session_state.setdefault("library_shown", LIBRARY_PAGE)
    total, found = views.library(
        store,
        text.strip(),
        "" if theme == all_themes else theme,
        "" if team == all_teams else team,
        datetime.combine(since, time.min) if since else None,
        limit=shown,
        archived=archived,
    )
    featuring = feature_target(access)
    shown_here = {p.id for p in store.practices(featuring.id) if p.featured} if featuring else set()
    st.subheader(
        _("{value} found").format(value=views.plural(total, "practice"))
        if total
        else _("No practice matches")
    )
    mine = {w.id: w for w in workshops}
    interest = store.practice_interest([p["id"] for p in found])
    told = store.stories([p["id"] for p in found])
    for practice in found:
        with st.container(border=True):
            text_col, button_col = st.columns([5, 1])
            with text_col:
                ui.heading(practice["title"], level=5)
                st.text(practice["description"])
                source = [
                    practice["theme"],
                    practice["author"],
                    practice["team"],
                    _("from “{workshop}”").format(workshop=practice["workshop"]),
                ]
                acted = []
                if practice["follow_ups"]:
                    acted.append(views.plural(practice["follow_ups"], "follow-up action"))
                if practice["adopted"]:
                    acted.append(
                        _("adopted in {workshops}").format(
                            workshops=views.plural(practice["adopted"], "workshop")
                        )
                    )
                st.caption(
                    ui.md(
                        " · ".join(filter(None, source))
                        + f" · {practice['shared_at'][:10]} · "
                        + _("done in {teams}").format(teams=views.plural(practice["teams_doing"], "team"))
                        + " ("
                        + ngettext("{n} does this too", "{n} do this too", practice["do_too"]).format(
                            n=practice["do_too"]
                        )
                        + ") · "
                        + ngettext(
                            "{n} would like to try it", "{n} would like to try it", practice["want_to_try"]
                        ).format(n=practice["want_to_try"])
                        + (
                            f" ({views.plural(practice['teams_wanting'], 'team')})"
                            if practice["want_to_try"]
                            else ""
                        )
                        + "".join(f" · {a}" for a in acted)
                    )
                )
                stories.library_stories(told.get(practice["id"], []))
            if archived:
                button_col.button(
                    _("Bring back"),
                    key=f"unarchive_{practice['id']}",
                    disabled=not access.may_open(practice["workshop_id"]),
                    on_click=ui.act,
                    args=(actions.archive_practice, store, access, practice["id"], False),
                    kwargs={"done": _("Back in the library")},
                )
                continue
            with button_col.popover(_("Plan a follow-up"), width="stretch"):
                plan_follow_up(access, practice, interest[practice["id"]], mine)
            if access.may_open(practice["workshop_id"]):
                with button_col.popover(_("Tidy"), width="stretch"):
                    tidy(access, practice, found)
            if featuring is not None and practice["workshop_id"] != featuring.id:
                on = practice["id"] in shown_here
                button_col.button(
                    (_("✓ Shown in “{title}”") if on else _("Show in “{title}”")).format(
                        title=featuring.title
                    ),
                    key=f"feature_{practice['id']}",
                    help=_("Show it to the people of “{title}” beside their own practices").format(
                        title=featuring.title
                    ),
                    on_click=ui.act,
                    args=(actions.feature_practice, store, access, practice["id"], not on, featuring.id),
                    kwargs={
                        "done": (
                            _("Shown to the people of “{title}”")
                            if not on
                            else _("No longer shown to the people of “{title}”")
                        ).format(title=featuring.title)
                    },
                )
    if total:
        st.download_button(
            _("Download {value} found (CSV)").format(value=views.plural(total, "practice")),
            lambda: exports.library_csv(
                views.library(
                    store,
                    text.strip(),
                    "" if theme == all_themes else theme,
                    "" if team == all_teams else team,
                    datetime.combine(since, time.min) if since else None,
                    limit=total,
                    archived=archived,
                )[1]
            ),
            "cocreate-practice-library.csv",
            "text/csv",
            key="library_download",
            on_click="ignore",
        )
    if total > shown and st.button(
        _("Show {value} more").format(value=min(LIBRARY_PAGE, total - shown)), key="library_more"
    ):
        st.session_state["library_shown"] = shown + LIBRARY_PAGE
        st.rerun()


tabs = ui.open_tabs(
    "review_tab",
    [_("Session summary"), _("Across sessions"), _("Follow-up actions"), _("Exports"), _("Practice library")],
)
for tab, show in zip(tabs, (session_tab, across_tab, follow_up_tab, exports_tab, library_tab), strict=True):
    if tab.open:  # only the tab in view runs
        with tab:
            show(access)
