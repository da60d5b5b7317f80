"""A self-paced workshop's schedule on Facilitate: the fields of the workshop form (live or
self-paced, the time zone, when each phase opens, written in the workshop's own time), and
the panel that shows the schedule and every move of the room with who made it, pauses or
resumes the schedule and changes its times in any phase."""

from __future__ import annotations

from datetime import datetime, time

import pandas as pd
import streamlit as st

import ui
from workshop import actions, analytics, announce, i18n, schedule, settings, timezones
from workshop.i18n import _
from workshop.model import Access, Phase, Schedule, Workshop, WorkshopDraft
from workshop.store import Store

LIVE, SELF_PACED = "live", "self_paced"


def fill(prefix: str, draft: WorkshopDraft, now: datetime) -> None:
    """Put a draft's schedule into the fields of form `prefix` (a draft without one: the
    default schedule, from the next morning in the organisation's time zone)."""
    zone_name = draft.time_zone if draft.schedule else settings.time_zone()
    if zone_name not in timezones.zones():
        zone_name = "UTC"
    opens = draft.schedule or schedule.default_schedule(zone_name, now)
    st.session_state[f"{prefix}_pace"] = SELF_PACED if draft.self_paced else LIVE
    st.session_state[f"{prefix}_zone"] = zone_name
    for phase, at in opens:
        local = timezones.to_local(at, zone_name)
        st.session_state[f"{prefix}_{phase.value}_date"] = local.date()
        st.session_state[f"{prefix}_{phase.value}_time"] = local.time()


def fields(prefix: str) -> None:
    """The schedule's fields, inside the form `prefix`."""
    st.radio(
        _("How the room moves"),
        (LIVE, SELF_PACED),
        format_func=lambda pace: {
            LIVE: _("Live: I move the room, in one sitting"),
            SELF_PACED: _("Self-paced: each phase opens on its own at the time below, over days"),
        }[pace],
        key=f"{prefix}_pace",
    )
    st.selectbox(_("Time zone of the schedule"), timezones.zones(), key=f"{prefix}_zone")
    st.caption(
        _(
            "For a self-paced workshop: when each phase opens, in this time zone. Each person sees "
            "the times in their own."
        )
    )
    for phase in schedule.SCHEDULED:
        day, hour = st.columns(2)
        day.date_input(
            _("{phase} opens on").format(phase=phase.label),
            key=f"{prefix}_{phase.value}_date",
            format="YYYY-MM-DD",
        )
        hour.time_input(_("at"), key=f"{prefix}_{phase.value}_time", step=900)


def read(prefix: str) -> tuple[bool, str, Schedule]:
    """What the fields of form `prefix` hold: self-paced or not, the time zone, and the
    schedule in UTC."""
    value = st.session_state
    zone_name = value[f"{prefix}_zone"]
    opens: list[tuple[Phase, datetime]] = []
    for phase in schedule.SCHEDULED:
        day, hour = value.get(f"{prefix}_{phase.value}_date"), value.get(f"{prefix}_{phase.value}_time")
        if day is None or hour is None:
            continue
        local = datetime.combine(day, hour if isinstance(hour, time) else time())
        opens.append((phase, timezones.to_utc(local, zone_name)))
    return value[f"{prefix}_pace"] == SELF_PACED, zone_name, tuple(opens)


def _when(at: datetime, zone_name: str) -> str:
    return i18n.format_weekday_time(timezones.to_local(at, zone_name))


def moves_table(store: Store, workshop: Workshop) -> pd.DataFrame:
    """Every move of the room, in the workshop's time, with who made it."""
    by = {"schedule": _("the schedule"), "facilitator": _("facilitator"), "organisation": _("organisation")}
    return pd.DataFrame(
        [
            {
                _("When"): _when(at, workshop.time_zone),
                _("From"): before.label,
                _("To"): after.label,
                _("Moved by"): by.get(who, who),
            }
            for before, after, at, who in store.phase_moves(workshop.id)
        ],
        columns=[_("When"), _("From"), _("To"), _("Moved by")],
    )


def panel(store: Store, access: Access, workshop: Workshop) -> None:
    """Facilitate's schedule: when each phase opens (done, or to come), whether the schedule
    moves the room now, every move so far, and a form to change the schedule."""
    if workshop.self_paced:
        now = store.now()
        lines = []
        for phase, at in workshop.schedule:
            state = _("opened") if phase.index <= workshop.phase.index else _("opens")
            lines.append(f"- **{phase.label}** · {state} {_when(at, workshop.time_zone)}")
        st.markdown("\n".join(lines))
        st.caption(
            _("Times in {zone}. Now there: {now}.").format(
                zone=workshop.time_zone, now=_when(now, workshop.time_zone)
            )
        )
        if workshop.schedule_paused:
            st.warning(_("The schedule is paused: the room moves only when you move it."))
        st.button(
            _("Let the schedule move the room again")
            if workshop.schedule_paused
            else _("Pause the schedule"),
            key="schedule_pause",
            on_click=ui.act,
            args=(actions.pause_schedule, store, access, not workshop.schedule_paused),
        )
    moves = moves_table(store, workshop)
    if len(moves):
        st.caption(_("Moves of the room"))
        st.table(moves, hide_index=True)
    prefix = "schedule"
    if f"{prefix}_pace" not in st.session_state:
        fill(prefix, workshop.draft(), store.now())
    with st.form(prefix):
        fields(prefix)
        sent = st.form_submit_button(_("Save the schedule"), key=f"{prefix}_submit")
    if sent:
        self_paced, zone_name, opens = read(prefix)
        if ui.shown_error(actions.set_schedule, store, access, self_paced, zone_name, opens) is not None:
            del st.session_state[f"{prefix}_pace"]  # the form shows the stored schedule again
            ui.confirm(_("Schedule saved"))
            st.rerun()


def participation_panel(store: Store, workshop: Workshop) -> None:
    """Who takes part, by day (in the workshop's time) and by team: who has not yet, as
    numbers per team of at least the privacy threshold."""
    by_day = analytics.participation_by_day(store, workshop.id, workshop.time_zone)
    if by_day.empty:
        st.caption(_("Nobody has joined yet."))
        return
    st.caption(_("By day ({zone})").format(zone=workshop.time_zone))
    st.table(
        by_day.assign(day=[i18n.format_date(d) for d in by_day["day"]]).rename(
            columns={"day": _("Day"), "joined": _("Joined"), "took_part": _("Took part")}
        ),
        hide_index=True,
    )
    by_team = analytics.participation_by_team(store, workshop.id, settings.min_team_size())
    if not by_team.empty:
        st.caption(
            _("By team: teams under {value} people are pooled, and a pool that small is not shown.").format(
                value=settings.min_team_size()
            )
        )
        st.table(
            by_team.rename(
                columns={
                    "team": _("Team"),
                    "joined": _("Joined"),
                    "took_part": _("Took part"),
                    "not_yet": _("Not yet"),
                }
            ),
            hide_index=True,
        )


def chat_panel(store: Store, access: Access, workshop: Workshop, join_link: str) -> None:
    """A reminder ready to paste into the organisation's chat, and the chat's webhook the
    workshop posts to itself: its address masked, its posts, and a failing one said."""
    st.caption(_("A reminder to paste into your organisation's chat"))
    st.code(announce.ready_text(workshop, join_link, store.now()), language=None, wrap_lines=True)
    current = store.webhook(workshop.id)
    posts = store.posts(workshop.id)
    failing = [post for post in posts if post[4] is None and post[3] > 0]
    if failing:
        st.error(
            _(
                "The chat did not take {n} post(s) (last: {error}). Cocreate tries again with a growing "
                "pause; check the webhook's address."
            ).format(n=len(failing), error=failing[0][5])
        )
    if current:
        st.caption(
            _(
                "Cocreate posts to {address} when a phase opens, a day before one closes and when the results are ready."
            ).format(address=announce.masked(current))
        )
    with st.form("webhook", clear_on_submit=True):
        st.text_input(
            _("Chat webhook: the incoming-webhook address from Microsoft Teams, Slack or Mattermost"),
            type="password",
            key="webhook_url",
            help=_("Kept like a key: shown only masked. Leave it empty and save to stop the posts."),
        )
        sent = st.form_submit_button(_("Save the webhook"), key="webhook_submit")
    if sent:
        kept = ui.shown_error(actions.set_webhook, store, access, st.session_state["webhook_url"])
        if kept is not None:
            ui.confirm(_("Webhook saved") if kept else _("Webhook removed"))
            st.rerun()
    if posts:
        kinds = {"opened": _("phase opened"), "results": _("results ready"), "closing": _("reminder")}
        st.table(
            pd.DataFrame(
                [
                    {
                        _("Made"): i18n.format_weekday_time(timezones.to_local(made, workshop.time_zone)),
                        _("Post"): kinds.get(what.split(":")[0], what),
                        _("Sent"): _("yes")
                        if sent_at
                        else (_("failed: {error}").format(error=error) if error else _("waiting")),
                    }
                    for what, _body, made, _attempts, sent_at, error in posts
                ]
            ),
            hide_index=True,
        )
