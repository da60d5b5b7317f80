"""The participant's screen from the join on: one browser app (the ES modules beside this
file, served by web/assets.py) that joins (`POST api/join`), draws every phase from
`GET api/view` and follows the room's status stream. The Participate page draws it once per
opened link; nothing the person does or sees afterwards runs the page again. This module
hands it what Python knows: the link's token (or the workshop to join), where the routes
and the app's files are, and the words in both languages."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from web import assets, paths
from workshop import i18n
from workshop.actions import MAX_PRACTICE_DESCRIPTION, MAX_PRACTICE_TITLE, MAX_STORY_TEXT
from workshop.i18n import N_, _, ngettext
from workshop.model import OTHER_TEAM, Phase, Reaction, Workshop
from workshop.text import MAX_NAME, MAX_TEXT

KEY = "participant_app"
# The loader: the app's modules are files the browser keeps (named by their content), not
# text sent with every page. Its stylesheets go into the component's own shadow root.
LOADER = (Path(__file__).parent / "loader.js").read_text()
_component = st.components.v2.component(
    f"cocreate.{KEY}", html='<div class="cc-app"></div>', js=LOADER, isolate_styles=True
)

IMPORTANCE = [N_("Hardly matters"), "", "", "", N_("Essential")]  # what 1 and 5 mean, under each scale
CAPABILITY = [N_("Cannot do it yet"), "", "", "", N_("Does it very well")]
REACTIONS = {Reaction.AGREE: N_("👍 Agree"), Reaction.DISAGREE: N_("👎 Disagree"), Reaction.PASS: N_("Pass")}


def plural(key: str, singular: str, plural_: str) -> dict[str, str]:
    """Both forms of a counted text (`key_one`, `key_other`; text.js `tn`). English and
    Finnish take the singular for 1 alone."""
    return {f"{key}_one": ngettext(singular, plural_, 1), f"{key}_other": ngettext(singular, plural_, 2)}


def words() -> dict[str, str]:
    """Every word the app shows, in the language in force."""
    return {
        "language": _("Language"),
        "anonymous": _("Anonymous"),
        "unreachable": _("Cocreate could not be reached. Check your connection and try again."),
        "loading": _("Loading the room…"),
        "removed_heading": _("You are no longer in this workshop"),
        # Joining
        "joining": _("You are joining"),
        "anonymous_join": _("This workshop is anonymous: others see what you write, not who wrote it."),
        "your_name": _("Your name (optional)"),
        "your_team": _("Your team"),
        "your_team_optional": _("Your team (optional)"),
        "choose_team": _("Choose your team"),
        "other_team": _(OTHER_TEAM),
        "join": _("Join the workshop"),
        "joining_now": _("Joining…"),
        "no_account": _("No account needed. Keep this tab open: its address is your way back in."),
        # The phase line
        "time_up": _("Time is up"),
        "left": _("{time} left"),
        "phase": _("Phase: "),
        **{f"phase_{phase.value}": phase.label for phase in Phase},
        **plural("new_statements", "{n} new statement from others", "{n} new statements from others"),
        **plural("new_needs", "{n} new need from others", "{n} new needs from others"),
        # A self-paced workshop: when the open phase closes, in the person's own time zone.
        "opens_at": _("{phase} opens {day} at {time}"),
        "closes_at": _("{phase} closes {day} at {time}."),
        "next_phase": _("Next: {phase}"),
        "then_closed": _("Then the workshop closes."),
        "add_calendar": _("Add to my calendar"),
        # Coming back after a while
        "welcome_back": _("Welcome back. Since your last visit ({day} at {time}):"),
        "phase_opened": _("{phase} has opened"),
        **plural("new_practices", "{n} new practice", "{n} new practices"),
        "nothing_new": _("Nothing new yet."),
        "drafts_kept": _("What you had typed and not sent is still in its box."),
        "got_it": _("Got it"),
        "self_paced": _(
            "This workshop runs over several days: each phase opens by itself at its time, and you can "
            "come and go. Keep this page's address (bookmark it): it brings you back in, as you."
        ),
        "schedule_heading": _("When each phase opens (your time)"),
        # Lobby
        "welcome": _("Welcome! The workshop starts soon. Your screen moves on by itself when it does."),
        # Share
        "you_wrote": _("You wrote"),
        "your_statement": _("Your statement"),
        "your_answer": _("Your answer"),
        "share": _("Share"),
        "others_said": _("What others said ({count})"),
        "save_changes": _("Save changes"),
        "cancel": _("Cancel"),
        "edit": _("Edit"),
        "withdraw": _("Withdraw"),
        "what_think": _("What do you think of what others said?"),
        "reactions": {kind.value: _(label) for kind, label in REACTIONS.items()},
        "all_answered": _("You have answered every statement so far. New ones will appear here."),
        "to_answer": _("A statement to answer"),
        **plural("waiting", "{n} more waiting for your view.", "{n} more waiting for your view."),
        "last_one": _("The last one for now."),
        # Practices
        "works_heading": _("What already works for you here?"),
        "works_caption": _("Share something your team already does well, so others can learn from it."),
        "works_count": _("What already works ({n_cards})"),
        "share_practice_group": _("Share a practice"),
        "theme": _("Theme"),
        "what_you_do": _("What you do, in a few words"),
        "how_you_do": _("How you do it, and what it changed"),
        "show_name": _("Show my name with it"),
        "share_practice": _("Share practice"),
        "you_shared": _("You shared this"),
        **plural("do_too_count", "{n} does this too", "{n} do this too"),
        **plural("want_count", "{n} would like to try it", "{n} would like to try it"),
        "do_too": _("We do this too"),
        "want": _("We'd like to try this"),
        # Stories of practice
        "stories_heading": _("How it went for those who tried it"),
        **plural("stories_count", "{n} story of how it went", "{n} stories of how it went"),
        "story_tried": _("Tried: {text}"),
        "story_happened": _("What happened: {text}"),
        "how_it_went": _("How it went"),
        "what_tried": _("What did you try?"),
        "what_happened": _("What happened?"),
        "would_recommend": _("Would you recommend it?"),
        "recommend_yes": _("Yes"),
        "recommend_partly": _("Partly"),
        "recommend_no": _("No"),
        "tell_story": _("Tell how it went"),
        "you_told": _("✓ You told how it went"),
        # Propose
        "propose_intro": _(
            "What must your team learn or build to deliver the strategy? Back others' ideas instead of repeating them."
        ),
        "ask": _("A development need (a skill, practice or capability)"),
        "you_proposed": _("You proposed"),
        "your_proposal": _("Your proposal"),
        "will_cite": _("Your need will cite what was said:"),
        "do_not_cite": _("Do not cite"),
        "turn_said": _("Turn what people said into a need"),
        **plural("agree", "{n} agrees", "{n} agree"),
        "cited": _("✓ Cited"),
        "turn_this": _("Turn this into a need"),
        "others_do": _("Others already do this: point your need to what you would learn from"),
        "learning": _("✓ Learn from this"),
        "learn": _("Learn from this"),
        "on_the_list": _("Already on the list: back one of these instead of proposing it again?"),
        "propose": _("Propose"),
        "your_proposals": _("Your proposals"),
        "proposed_by_others": _("Proposed by others ({n_others})"),
        "show_more": _("Show {value} more"),
        "backed": _("✓ You back this"),
        "me_too": _("Me too"),
        **plural("backing", "{n} backer", "{n} backers"),
        "from_said": _("From what was said: {quotes}"),
        # Vote
        "dots_left": _("Dots left"),
        "left_of": _("{left} of {budget}"),
        **plural("dots_total", "{n} dot in total", "{n} dots in total"),
        "your_dots": _("your dots: {dots}"),
        "none": _("none"),
        "all_placed": _("All your dots are placed: take one back elsewhere first"),
        "at_most": _("At most {cap} of your dots on one need"),
        "add": _("Add a dot"),
        "take_back": _("Take one back"),
        "rate_it": _("Rate it"),
        "rated": _("Rated: importance {importance}, capability {capability}"),
        "listed_of": _("{n_listed} of {n_needs} needs shown, in an order of your own."),
        "show_more_vote": _("Show {more} more"),
        "rate_heading": _("Rate this need"),
        "how_important": _("How important is it for the strategy?"),
        "how_well": _("How well can your team do it today?"),
        "importance_ends": [_(c) if c else "" for c in IMPORTANCE],
        "capability_ends": [_(c) if c else "" for c in CAPABILITY],
        "save_rating": _("Save rating"),
        "choose_both": _("Choose both: how important it is, and how well your team can do it today."),
        "close": _("Close"),
        # Results and Closed
        "results_later": _("The results will be shown here when the facilitator reveals them."),
        "chose": _("What the room chose"),
        **plural("dots", "{n} dot", "{n} dots"),
        "of_yours": _("{mine} of yours"),
        "closed": _("This workshop has closed. Thank you for taking part!"),
        "became": _("What became of your needs"),
        "became_none": _(
            "You did not propose, back or vote for a need in this workshop, and no need cites what you said."
        ),
        "no_action": _("No follow-up action yet. Leaders add them after the workshop; they show here."),
        "due": _(" · due {date}"),
        "action_line": _("{status}{owner}{due} · updated {changed}"),
        "action_outcome": _("What came of it: {text}"),
        "checkin_heading": _("Check-in: how well can your team do these today?"),
        "checkin_none": _(
            "You did not rate a need's capability at the workshop, so there is nothing to check in on."
        ),
        "checkin_said": _("At the workshop you said {value} of 5."),
        "checkin_today": _("Your team's capability today (1 = not at all, 5 = very well)"),
        "save": _("Save"),
    }


@functools.cache
def _words_in(language: str) -> dict[str, str]:
    with i18n.using(language):
        return words()


def draw(token: str | None, joining: Workshop | None = None) -> None:
    """Draw the participant's app for the link `token`, or the join form of the workshop
    `joining` (the app then joins, puts the new token in the link and goes on without a page
    run), in the language in force, which the person may switch on the screen (kept in the
    link's `lang`)."""
    data = {
        "base": assets.base(),
        "styles": sorted(name for name in assets.FILES if name.endswith(".css")),
        "token": token or "",
        "join": None
        if joining is None
        else {
            "code": joining.code,
            "title": joining.title,
            "anonymous": joining.anonymous,
            "teams": list(joining.teams),
            "other_team": OTHER_TEAM,
            "name_limit": MAX_NAME,
        },
        "header": paths.PARTICIPANT_HEADER,
        "language": i18n.current(),
        "languages": [[code, i18n.NAMES[code]] for code in i18n.LANGUAGES],
        "words": {language: _words_in(language) for language in i18n.LANGUAGES},
        "limits": {
            "text": MAX_TEXT,
            "practice_title": MAX_PRACTICE_TITLE,
            "practice_description": MAX_PRACTICE_DESCRIPTION,
            "story": MAX_STORY_TEXT,
        },
        "urls": {
            name: paths.relative(path)
            for name, path in {
                "join": paths.JOIN,
                "view": paths.VIEW,
                "room": paths.ROOM,
                "events": paths.ROOM_EVENTS,
                "dots": paths.DOTS,
                "share": paths.SHARE,
                "react": paths.REACT,
                "propose": paths.PROPOSE,
                "back": paths.BACK,
                "similar": paths.SIMILAR,
                "practices": paths.PRACTICES,
                "rate": paths.RATE,
                "checkin": paths.CHECKIN,
                "calendar": paths.CALENDAR,
            }.items()
        },
    }
    _component(key=KEY, data=data)
