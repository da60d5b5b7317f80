"""Stories of practice on the leaders' and facilitators' pages: a story as a leader reads it
(Facilitate's moderation list draws it), the stories with their practice (the library on
Review), and the story an action's owner tells once the action is done (Review)."""

from __future__ import annotations

import streamlit as st

import ui
from workshop import actions, i18n, views
from workshop.i18n import _, ngettext
from workshop.model import Access, FollowUp
from workshop.store import Store

RECOMMEND_LABELS = {
    "yes": views.RECOMMENDS["yes"],
    "partly": views.RECOMMENDS["partly"],
    "no": views.RECOMMENDS["no"],
}


def story_text(story: dict) -> str:
    """A story in a line or two, as a leader reads it (participant text: drawn as text)."""
    return _("Tried: {tried}\nWhat happened: {happened}\n{verdict}").format(
        tried=story["tried"], happened=story["happened"], verdict=_(RECOMMEND_LABELS[story["recommend"]])
    )


def library_stories(stories: list[dict]) -> None:
    """A practice's stories in the library: how many, and each with who told it."""
    if not stories:
        return
    with st.expander(
        ngettext("{n} story of how it went", "{n} stories of how it went", len(stories)).format(
            n=i18n.format_number(len(stories))
        )
    ):
        for story in stories:
            st.text(story_text(story))
            told_in = _("told in “{workshop}”").format(workshop=story["workshop"])
            who = [story["author"] if story["told_by"] == "participant" else _("an action's owner"), told_in]
            st.caption(ui.md(" · ".join(part for part in who if part)))


def ask_for_story(store: Store, access: Access, follow_up: FollowUp, titles: dict[int, str]) -> None:
    """Once an action that tried out practices is done, its owner is asked how it went (a
    story of this action's for each practice it tried out)."""
    told = store.stories(follow_up.practice_ids, include_hidden=True)
    for practice_id in follow_up.practice_ids:
        if any(story["follow_up_id"] == follow_up.id for story in told.get(practice_id, [])):
            st.caption(_("✓ You told how “{practice}” went.").format(practice=titles.get(practice_id, "")))
            continue
        key = f"story_{follow_up.id}_{practice_id}"
        with st.form(key, clear_on_submit=True):
            st.markdown(
                _("**How did “{practice}” go?** Your story shows with the practice in the library.").format(
                    practice=titles.get(practice_id, "")
                )
            )
            st.text_area(_("What did you try?"), key=f"{key}_tried", max_chars=actions.MAX_STORY_TEXT)
            st.text_area(_("What happened?"), key=f"{key}_happened", max_chars=actions.MAX_STORY_TEXT)
            st.radio(
                _("Would you recommend it?"),
                actions.RECOMMEND,
                format_func=lambda answer: _(RECOMMEND_LABELS[answer]),
                key=f"{key}_recommend",
                horizontal=True,
            )
            sent = st.form_submit_button(_("Tell how it went"), key=f"{key}_submit")
        if sent:
            told = ui.shown_error(
                actions.tell_story_of_action,
                store,
                access,
                follow_up.id,
                practice_id,
                st.session_state[f"{key}_tried"],
                st.session_state[f"{key}_happened"],
                st.session_state[f"{key}_recommend"],
            )
            if told is not None:
                st.success(
                    _("Thank you: your story shows with the practice, for others who think of trying it.")
                )
