"""The workshop form of Facilitate: a workshop's texts, themes, teams, settings and, when it is
being created, its schedule (ui.schedule_form); the draft it makes when sent."""

from datetime import datetime

import streamlit as st

from ui import schedule_form
from workshop import i18n, settings
from workshop.i18n import _
from workshop.model import ThemeDraft, WorkshopDraft


def parse_themes(text: str) -> tuple[ThemeDraft, ...]:
    """One theme per line: "Title" or "Title | prompt"."""
    themes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _bar, prompt = line.partition("|")
        themes.append(ThemeDraft(title.strip(), prompt.strip()))
    return tuple(themes)


def fill_form(prefix: str, draft: WorkshopDraft, now: datetime, timing: bool = True) -> None:
    """Put a draft's values into the fields of the workshop form `prefix` (`now`, UTC: a
    schedule's default starts the next morning)."""
    st.session_state[f"{prefix}_title"] = draft.title
    st.session_state[f"{prefix}_strategy"] = draft.strategy
    st.session_state[f"{prefix}_themes"] = "\n".join(f"{t.title} | {t.prompt}" for t in draft.themes)
    st.session_state[f"{prefix}_budget"] = draft.dot_budget
    st.session_state[f"{prefix}_cap"] = draft.per_need_cap
    st.session_state[f"{prefix}_anonymous"] = draft.anonymous
    st.session_state[f"{prefix}_hide"] = draft.hide_results
    st.session_state[f"{prefix}_rate"] = draft.rate_needs
    st.session_state[f"{prefix}_teams"] = "\n".join(draft.teams)
    st.session_state[f"{prefix}_dark"] = draft.projector_dark
    st.session_state[f"{prefix}_lock"] = draft.lock_after_reveal
    st.session_state[f"{prefix}_practices"] = draft.ask_practices
    st.session_state[f"{prefix}_help"] = draft.show_help_pairs
    st.session_state[f"{prefix}_language"] = draft.language
    if timing:  # the schedule's fields, where the form shows them
        schedule_form.fill(prefix, draft, now)


def workshop_form(
    prefix: str, base: WorkshopDraft, submit: str, now: datetime, timing: bool = True
) -> WorkshopDraft | None:
    """The fields of a workshop (its schedule too when `timing`: a workshop made already
    changes it in the schedule's panel); returns the draft when the form is sent."""
    if f"{prefix}_title" not in st.session_state:
        fill_form(prefix, base, now, timing)
    with st.form(prefix):
        st.selectbox(
            _("Language of the room"),
            i18n.LANGUAGES,
            format_func=i18n.NAMES.get,
            key=f"{prefix}_language",
            help=_("What participants and the projector see; each participant may switch their own screen."),
        )
        st.text_input(_("Title"), max_chars=120, key=f"{prefix}_title")
        st.text_area(
            _("The strategy, in a few sentences"), max_chars=4000, key=f"{prefix}_strategy", height=120
        )
        st.text_area(
            _("Strategy themes (1–8), one per line; add a question after |"),
            key=f"{prefix}_themes",
            height=140,
            placeholder=_("Digital customer service | What does it mean for you and your work?"),
        )
        st.text_area(
            _("Teams people pick from when they join (optional), one per line"),
            key=f"{prefix}_teams",
            height=100,
            placeholder=_("Sales\nCustomer support\nOperations"),
            help=_(
                "Without a list, people type their team; 'sales' and 'Sales' count as one team either way. "
                "With a list, 'Other' is always offered too."
            ),
        )
        a, b = st.columns(2)
        a.number_input(_("Dots per participant"), 1, 20, key=f"{prefix}_budget")
        b.number_input(_("Most dots on one need"), 1, 20, key=f"{prefix}_cap")
        st.checkbox(_("Anonymous (no names asked or shown)"), key=f"{prefix}_anonymous")
        st.checkbox(_("Keep vote counts hidden until I reveal them"), key=f"{prefix}_hide")
        st.checkbox(
            _("Lock voting once the results are revealed"),
            key=f"{prefix}_lock",
            help=_("After the reveal nobody can place or take back a dot, so the totals shown are final."),
        )
        st.checkbox(_("Also rate importance and current capability (1–5)"), key=f"{prefix}_rate")
        st.checkbox(
            _("Also ask what already works (practices) in the Share phase"),
            key=f"{prefix}_practices",
            help=_(
                "People share what their team already does well; others say they do it too or "
                "would like to try it, and the practices stay in the library for later workshops."
            ),
        )
        st.checkbox(
            _("Show who can help whom with the results on the projector"),
            key=f"{prefix}_help",
            help=_(
                "Teams that rate themselves strong on a need, or do a practice others would like to try, beside the teams that would learn it; teams under {value} people are never named."
            ).format(value=settings.min_team_size()),
        )
        st.checkbox(_("Dark projector screen (for a dim room)"), key=f"{prefix}_dark")
        if timing:
            schedule_form.fields(prefix)
        if not st.form_submit_button(submit, type="primary", key=f"{prefix}_submit"):
            return None
    value = st.session_state
    self_paced, time_zone, opens = (
        schedule_form.read(prefix) if timing else (base.self_paced, base.time_zone, base.schedule)
    )
    return WorkshopDraft(
        value[f"{prefix}_title"],
        value[f"{prefix}_strategy"],
        parse_themes(value[f"{prefix}_themes"]),
        int(value[f"{prefix}_budget"]),
        int(value[f"{prefix}_cap"]),
        value[f"{prefix}_anonymous"],
        value[f"{prefix}_hide"],
        value[f"{prefix}_rate"],
        tuple(line for line in value[f"{prefix}_teams"].splitlines() if line.strip()),
        value[f"{prefix}_dark"],
        value[f"{prefix}_lock"],
        value[f"{prefix}_practices"],
        value[f"{prefix}_help"],
        value[f"{prefix}_language"],
        self_paced,
        time_zone,
        opens,
    )
