"""Participate: join, then follow the room phase by phase. Identity lives in the link (?t=)."""

import hashlib

import streamlit as st

import ui
from ui.components import (
    back_board,
    practice_board,
    propose_board,
    react_card,
    room_watch,
    share_board,
    vote_board,
)
from ui.components import ranking as ranking_board
from workshop import actions, views
from workshop.errors import CocreateError
from workshop.i18n import N_, _
from workshop.model import OTHER_TEAM, Need, Participant, Phase, Statement, Workshop
from workshop.store import RoomNeeds, ViewerState

ui.use_language()
st.set_page_config(page_title=_("Cocreate · Participate"), page_icon="✍️", layout="centered")
ui.page_style()
store = ui.store()
live = ui.live()
OUTCOMES_EVERY = 60  # seconds between looks at what became of a person's needs (a closed workshop)


def ranking(shown: Workshop, my_dots: dict[int, int]) -> None:
    """What the room chose, most dotted first, once the facilitator revealed it (with this
    person's own dots, `my_dots`, when they are in the room)."""
    if not shown.counts_visible:
        st.info(_("The results will be shown here when the facilitator reveals them."))
        return
    st.subheader(_("What the room chose"))
    ranking_board.draw(views.ranking_json(store, live, shown), my_dots)


def join_screen() -> None:
    code = st.query_params.get("code", "")
    workshop = ui.shown_error(actions.find_workshop, store, code) if code else None
    if workshop is not None:
        ui.use_language(workshop.language)
    ui.language_picker()
    if workshop is None:
        st.title(_("Join a workshop"))
        with st.form("find"):
            typed = st.text_input(
                _("Workshop code"), max_chars=12, placeholder=_("e.g. K7P2QX"), key="join_code"
            )
            if st.form_submit_button(_("Continue"), type="primary", key="join_find"):
                st.query_params["code"] = typed.strip()
                st.rerun()
        return
    if workshop.phase is Phase.CLOSED:
        ui.heading(workshop.title, level=1)
        ui.show_messages()
        st.info(
            _(
                "This workshop has closed, so it takes no new participants. Thank you to everyone who took part."
            )
        )
        ranking(workshop, {})
        return
    st.caption(_("You are joining"))
    ui.heading(workshop.title, level=1)
    ui.show_messages()
    with st.form("join"):
        if not workshop.anonymous:
            st.text_input(_("Your name (optional)"), max_chars=40, key="join_name")
        else:
            st.info(_("This workshop is anonymous: others see what you write, not who wrote it."))
        if workshop.teams:
            st.selectbox(
                _("Your team"),
                [*workshop.teams, OTHER_TEAM],
                format_func=lambda team: _(team) if team == OTHER_TEAM else team,
                index=None,
                placeholder=_("Choose your team"),
                key="join_team",
            )
        else:
            st.text_input(_("Your team (optional)"), max_chars=40, key="join_team")
        st.form_submit_button(
            _("Join the workshop"),
            type="primary",
            key="join_submit",
            on_click=join_now,
            args=(workshop.code, workshop.anonymous),
        )
    st.caption(_("No account needed. Keep this tab open: its address is your way back in."))


def join_now(code: str, anonymous: bool) -> None:
    """Join in the click's own callback: the page run that follows finds the new link and
    draws the Lobby straight away (one page run per person joining, not two)."""
    state = st.session_state
    try:
        _joined, token = actions.join(
            store, code, None if anonymous else state.get("join_name"), state.get("join_team")
        )
    except CocreateError as exc:
        state["_cc_error"] = exc.message
        return
    ui.replace_link(t=token)


def resume() -> Participant | None:
    token = st.query_params.get("t")
    if not token:
        join_screen()
        return None
    participant = ui.shown_error(actions.resume, store, token)
    if participant is None:
        st.query_params.pop("t", None)
        join_screen()
    return participant


me = resume()
if me is None:
    st.stop()

workshop = ui.current_workshop(me.workshop_id)
ui.use_language(workshop.language)
ui.language_picker()
ui.show_messages()

# Emptied at the end of the page run: a fragment redrawn alone, after a click in it, finds
# it empty and shows what that click said itself (the page's top shows it on a full run).
in_page_run = [True]


def show_messages_if_alone() -> None:
    if not in_page_run:
        ui.show_messages()


# What others did may lag a second behind (one computation serves the whole room, see
# views.SHARED_MAX_AGE); what this person did is read from their own state and laid over
# it (see my_state).


def statements_seen() -> list[Statement]:
    """The workshop's statements as everybody sees them (reactions counted, none marked as mine)."""
    return views.statements_seen(store, live, workshop.id)


def room_needs() -> RoomNeeds:
    return views.room_needs(store, live, workshop.id)


def my_state() -> ViewerState:
    """This person's reactions, backings, dots, ratings and own items (the store keeps them)."""
    return store.viewer_state(workshop.id, me.id)


def mine_from_room(kind: str, room: list, ids: set[int], read_own):
    """This person's own statements or needs: from the room's list, or, when that does not
    hold one of them yet (it may lag a second), from a read of their own."""
    own = [item for item in room if item.id in ids]
    if len(own) == len(ids):
        return own
    kept = st.session_state.get(f"_cc_own_{kind}")
    if kept is None or kept[0] != (workshop.id, me.id, ids):  # a tab may change link
        kept = ((workshop.id, me.id, frozenset(ids)), read_own())
        st.session_state[f"_cc_own_{kind}"] = kept
    return kept[1]


def my_statements() -> list[Statement]:
    ids = my_state().statements
    return mine_from_room(
        "statements", statements_seen(), ids, lambda: store.statements(workshop.id, by=me.id)
    )


def my_needs() -> list[Need]:
    """What this person proposed, with their backing and the room's counts laid over."""
    room, mine = room_needs(), my_state()
    own = mine_from_room("needs", room.needs, mine.needs, lambda: store.needs(workshop.id, by=me.id))
    return [mine.need(n, room) if n.id in room.by_id else mine.need(n) for n in own]


def needs_seen() -> tuple[list[Need], int]:
    """The workshop's needs with this person's backings, dots and ratings; and dots used."""
    room, mine = room_needs(), my_state()
    return [mine.need(n, room) for n in room.needs], mine.dots_used


def room_counts() -> dict[str, int]:
    return views.room_counts(store, live, workshop.id)


def follow_room(shown: Workshop, seen: dict[str, int]) -> None:
    """The phase line, its timer and the offer to show what others added since the lists
    were drawn, kept current by the tab itself (ui/components/room_watch.py). Drawn outside
    any fragment, so that each of its triggers runs the whole page: "moved" when the room
    moved on (a redraw, see ui.streamlit_patches), "show_new" when the person asked for the
    new items. A tab that reconnected to a restarted server, whose new session knows none
    of this page's fragments, is drawn again so too."""
    kind = {Phase.SHARE: "statements", Phase.PROPOSE: "needs"}.get(shown.phase)
    status = views.room_status(shown, room_counts(), store.now())
    room_watch.draw(
        status,
        kind,
        seen[kind] if kind else 0,
        seen["joined"],
        st.query_params["t"],
        on_show_new=lambda: show_new(kind),
    )


def show_new(kind: str | None) -> None:
    """The person asked for what others added: the page run that follows draws the lists
    read afresh (the count that offered them may be newer than the room's lists)."""
    if kind == "needs":
        views.room_needs(store, live, workshop.id, fresh=True)
    elif kind == "statements":
        views.statements_seen(store, live, workshop.id, fresh=True)


def remember_drawn(kind: str, room: list, own: list) -> None:
    """How many statements or needs the lists now show (with the person's own, which the
    room's list may not hold yet): the offer to show new ones counts from there."""
    ids = {item.id for item in room}
    counts[kind] = len(ids) + sum(1 for item in own if item.id not in ids)


ui.heading(workshop.title, level=2)
who = [me.display_name if not workshop.anonymous else _("Anonymous")] + ([me.team] if me.team else [])
st.caption(ui.md(" · ".join(who)))
counts = dict(room_counts())  # a copy: this page counts its own additions in it
# The phase line sits here but is drawn last: it offers what was added since the lists
# below were drawn, so it counts from what they show (the counts may lag them a second).
phase_line = st.container()


# -- phases --------------------------------------------------------------------------


def lobby() -> None:
    st.info(_("Welcome! The workshop starts soon. Your screen moves on by itself when it does."))
    st.text(workshop.strategy)
    for theme in workshop.themes:
        with st.container(border=True):
            ui.heading(theme.title, level=4)
            st.text(theme.prompt)


def share() -> None:
    share_themes()
    if workshop.ask_practices:
        practices()
    answer_others()


@st.fragment
def practices() -> None:
    """What already works for people here: the form to share a practice (in the Share
    phase) and the practices of the room and those the facilitator featured, each to mark
    "We do this too" or "We'd like to try this". The board writes by its own request
    (ui/components/practice_board.py), not a page run."""
    cards = views.practice_cards(store, live, workshop, me)
    if workshop.phase is Phase.SHARE:
        st.subheader(_("What already works for you here?"))
        st.caption(_("Share something your team already does well, so others can learn from it."))
    elif not cards:
        return
    else:
        st.subheader(_("What already works ({n_cards})").format(n_cards=len(cards)))
    practice_board.draw(workshop, cards, st.query_params["t"])


@st.fragment
def share_themes() -> None:
    """A tab per theme: its prompt, the answer box, this person's statements and others'.
    The board writes by its own request (ui/components/share_board.py), not a page run."""
    show_messages_if_alone()
    statements, mine = statements_seen(), my_statements()
    remember_drawn("statements", statements, mine)
    share_board.draw(
        workshop, statements, mine, me.id, st.query_params["t"], views.named_teams(store, live, workshop.id)
    )


PAGE = 8  # needs listed at a time for backing (each card costs every redraw of the page)


@st.fragment
def answer_others() -> None:
    """Others' statements one at a time, least-answered first: agree, disagree or pass.
    The card answers by its own request (ui/components/react_card.py), not a page run."""
    ui.show_messages()
    st.subheader(_("What do you think of what others said?"))
    react_card.draw(views.next_card(store, live, me, workshop), st.query_params["t"])


def propose() -> None:
    st.write(
        _(
            "What must your team learn or build to deliver the strategy? Back others' ideas instead of repeating them."
        )
    )
    propose_form()
    back_list()
    practices()


@st.fragment
def propose_form() -> None:
    """The theme, the text box and this person's proposals with Edit and Withdraw. The
    board writes by its own request (ui/components/propose_board.py), not a page run."""
    show_messages_if_alone()
    propose_board.draw(
        workshop, my_needs(), st.query_params["t"], views.words_for_needs(store, live, workshop)
    )


@st.fragment(key="back_list")
def back_list() -> None:
    """Others' needs, most backed first, a page at a time, on the back board: "Me too" is
    the board's own request, not a page run (ui/components/back_board.py)."""
    show_messages_if_alone()
    room = room_needs()
    remember_drawn("needs", room.needs, my_needs())
    others = [n for n in room.needs if n.participant_id != me.id]
    if not others:
        return
    st.subheader(_("Proposed by others ({n_others})").format(n_others=len(others)))
    shown = st.session_state.setdefault("back_list_shown", PAGE)
    mine = my_state()
    back_board.draw(
        workshop,
        [mine.need(n, room) for n in others[:shown]],
        st.query_params["t"],
        views.cited_words(store, live, workshop.id),
    )
    if len(others) > shown and st.button(
        _("Show {value} more").format(value=min(PAGE, len(others) - shown)), key="back_more"
    ):
        st.session_state["back_list_shown"] = shown + PAGE
        st.rerun(scope="fragment")


VOTE_PAGE = 8  # needs drawn at a time for voting (each card costs every redraw of the page)


def vote_order(need: Need) -> bytes:
    """Each person sees the needs in an order of their own, the same on every redraw: the
    order gives away nothing of the hidden totals, cards do not move while others vote, and
    across the room every need comes early for as many people as any other."""
    return hashlib.blake2b(f"{me.id}:{need.id}".encode(), digest_size=8).digest()


def vote() -> None:
    """The dots, eight needs at a time (and every need holding one of this person's dots),
    on the vote board: a dot is placed by the board's own request, not a page run
    (ui/components/vote_board.py)."""
    needs, used = needs_seen()
    needs.sort(key=vote_order)
    shown = st.session_state.setdefault("vote_shown", VOTE_PAGE)
    listed = [n for i, n in enumerate(needs) if i < shown or n.my_dots]
    rate = vote_board.draw(
        workshop, listed, used, st.query_params["t"], views.cited_words(store, live, workshop.id)
    )
    if rate is not None and workshop.rate_needs:
        need = next((n for n in listed if n.id == rate.get("need")), None)
        if need is not None:
            rating(need)
    if len(needs) > len(listed):
        st.caption(
            _("{n_listed} of {n_needs} needs shown, in an order of your own.").format(
                n_listed=len(listed), n_needs=len(needs)
            )
        )
        more = sum(1 for n in needs[shown : shown + VOTE_PAGE] if not n.my_dots)
        if st.button(_("Show {more} more").format(more=more), key="vote_more"):
            st.session_state["vote_shown"] = shown + VOTE_PAGE
            st.rerun()


IMPORTANCE = [N_("Hardly matters"), "", "", "", N_("Essential")]  # what 1 and 5 mean, under each scale
CAPABILITY = [N_("Cannot do it yet"), "", "", "", N_("Does it very well")]


@st.dialog(_("Rate this need"))
def rating(need: Need) -> None:
    """Importance and current capability, 1–5, drawn only when the person asks for it; a
    first rating starts with nothing chosen."""
    st.text(need.text)
    importance = st.radio(
        _("How important is it for the strategy?"),
        [1, 2, 3, 4, 5],
        captions=[_(c) if c else "" for c in IMPORTANCE],
        horizontal=True,
        index=None if need.my_importance is None else need.my_importance - 1,
        key=f"importance_{need.id}",
    )
    capability = st.radio(
        _("How well can your team do it today?"),
        [1, 2, 3, 4, 5],
        captions=[_(c) if c else "" for c in CAPABILITY],
        horizontal=True,
        index=None if need.my_capability is None else need.my_capability - 1,
        key=f"capability_{need.id}",
    )
    if st.button(_("Save rating"), type="primary", key=f"rate_submit_{need.id}"):
        if importance is None or capability is None:
            st.error(_("Choose both: how important it is, and how well your team can do it today."))
            return
        ui.act(actions.rate, store, me, need.id, importance, capability, done=_("Rating saved"))
        st.rerun()


def results() -> None:
    ranking(workshop, my_state().dots)


VIEWS = {
    Phase.LOBBY: lobby,
    Phase.SHARE: share,
    Phase.PROPOSE: propose,
    Phase.VOTE: vote,
    Phase.RESULTS: results,
}


@st.fragment(run_every=OUTCOMES_EVERY)
def what_became() -> None:
    """What became of the needs this person proposed, backed or voted for: the follow-up
    actions leaders took on them and their status, read again every so often."""
    became = views.what_became(store, live, me)
    st.subheader(_("What became of your needs"))
    if not became:
        st.caption(
            _(
                "You did not propose, back or vote for a need in this workshop, and no need cites what you said."
            )
        )
    for need in became:
        with st.container(border=True):
            st.text(need["text"])
            st.caption(ui.md(f"{views.plural(need['dots'], 'dot')} · {need['how']}"))
            if not need["actions"]:
                st.caption(_("No follow-up action yet. Leaders add them after the workshop; they show here."))
            for action in need["actions"]:
                due = _(" · due {date}").format(date=action["due"]) if action["due"] else ""
                owner = f" · {action['owner']}" if action["owner"] else ""
                st.text(f"→ {action['title']}")
                st.caption(
                    ui.md(
                        _("{status}{owner}{due} · updated {changed}").format(
                            status=action["status"], owner=owner, due=due, changed=action["changed"]
                        )
                    )
                )


def check_in() -> None:
    """The check-in, while the facilitator keeps it open: how well the person's team can do
    today what they rated at the workshop."""
    rated = {
        need_id: capability for need_id, (_importance, capability) in my_state().ratings.items() if capability
    }
    needs = [n for n in room_needs().needs if n.id in rated]
    st.subheader(_("Check-in: how well can your team do these today?"))
    if not needs:
        st.caption(
            _("You did not rate a need's capability at the workshop, so there is nothing to check in on.")
        )
        return
    again = store.checked_in(workshop.id, me.id)
    for need in needs:
        with st.container(border=True):
            st.text(need.text)
            st.caption(_("At the workshop you said {value} of 5.").format(value=rated[need.id]))
            chosen = st.radio(
                _("Your team's capability today (1 = not at all, 5 = very well)"),
                [1, 2, 3, 4, 5],
                horizontal=True,
                index=again[need.id] - 1 if need.id in again else None,
                key=f"checkin_{need.id}",
            )
            if st.button(_("Save"), key=f"checkin_save_{need.id}", disabled=chosen is None):
                ui.act(actions.check_in, store, me, need.id, chosen, done=_("Saved: thank you"))
                st.rerun()


if workshop.phase is Phase.CLOSED:
    st.success(_("This workshop has closed. Thank you for taking part!"))
    if workshop.checkin_open:
        check_in()
    what_became()
    results()
else:
    VIEWS[workshop.phase]()
with phase_line:
    follow_room(workshop, counts)
in_page_run.clear()
