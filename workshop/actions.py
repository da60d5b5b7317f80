"""What people do in a workshop, with the rules that govern it.

Pages call these functions and show what they return, or the message of the
`CocreateError` they raise. Each function checks phase, ownership and limits before it
writes, and each write is one transaction in the store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from workshop import announce, i18n, logs, schedule, security, settings, similar, templates
from workshop.errors import (
    AccessDenied,
    BudgetSpent,
    DuplicateNeed,
    InvalidLink,
    InvalidMerge,
    InvalidSetting,
    InvalidText,
    ItemNotFound,
    NeedCapReached,
    NoDotToRemove,
    NotYours,
    QuotaReached,
    TooManyGuesses,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.i18n import N_, _
from workshop.model import (
    DEFAULT_PROMPT,
    VOTES_LOCKED,
    Access,
    Created,
    FollowUp,
    FollowUpStatus,
    Participant,
    Phase,
    PracticeReaction,
    Reaction,
    Schedule,
    ThemeDraft,
    Workshop,
    WorkshopDraft,
)
from workshop.store import DotResult, Store
from workshop.templates import Template
from workshop.text import MAX_NAME, clean_label, clean_optional, clean_text, normalise_code

MAX_THEMES = 8
MAX_TEAMS = 40
MAX_TITLE = 120
MAX_STRATEGY = 4000
SESSION_LIFETIME = timedelta(days=7)
MAX_TIMER_MINUTES = 180


# -- creating and opening workshops ------------------------------------------------------


def check_draft(draft: WorkshopDraft) -> WorkshopDraft:
    """Return the draft with its texts cleaned, or raise InvalidText / InvalidSetting."""
    themes = tuple(
        ThemeDraft(
            title=clean_text(t.title, what=_("The title of theme {i}").format(i=i), limit=MAX_TITLE),
            prompt=clean_text(
                t.prompt or DEFAULT_PROMPT, what=_("The prompt of theme {i}").format(i=i), limit=300
            ),
        )
        for i, t in enumerate(draft.themes, start=1)
    )
    if not 1 <= len(themes) <= MAX_THEMES:
        raise InvalidSetting(
            _(
                "A workshop has 1 to {MAX_THEMES} strategy themes; this one has {n_themes}. Add or remove themes."
            ).format(MAX_THEMES=MAX_THEMES, n_themes=len(themes))
        )
    if draft.language not in i18n.LANGUAGES:
        raise InvalidSetting(
            _("A workshop speaks English (en) or Finnish (fi), not “{language}”.").format(
                language=draft.language
            )
        )
    if not 1 <= draft.dot_budget <= 20:
        raise InvalidSetting(_("The dot budget must be between 1 and 20 dots per participant."))
    if not 1 <= draft.per_need_cap <= draft.dot_budget:
        raise InvalidSetting(
            _("The most dots on one need must be between 1 and the dot budget ({dot_budget}).").format(
                dot_budget=draft.dot_budget
            )
        )
    teams: list[str] = []
    for i, typed in enumerate(draft.teams, start=1):
        team = clean_label(typed, what=_("Team {i}").format(i=i), limit=MAX_NAME)
        if team is not None and team.lower() not in {t.lower() for t in teams}:
            teams.append(team)
    if len(teams) > MAX_TEAMS:
        raise InvalidSetting(
            _("A workshop lists at most {MAX_TEAMS} teams; this one has {n_teams}.").format(
                MAX_TEAMS=MAX_TEAMS, n_teams=len(teams)
            )
        )
    return WorkshopDraft(
        title=clean_text(draft.title, what=_("The workshop title"), limit=MAX_TITLE),
        strategy=clean_text(draft.strategy, what=_("The strategy text"), limit=MAX_STRATEGY),
        themes=themes,
        dot_budget=draft.dot_budget,
        per_need_cap=draft.per_need_cap,
        anonymous=draft.anonymous,
        hide_results=draft.hide_results,
        rate_needs=draft.rate_needs,
        teams=tuple(teams),
        projector_dark=draft.projector_dark,
        lock_after_reveal=draft.lock_after_reveal,
        ask_practices=draft.ask_practices,
        show_help_pairs=draft.show_help_pairs,
        language=draft.language,
        self_paced=draft.self_paced,
        time_zone=draft.time_zone,
        schedule=_checked_schedule(draft.self_paced, draft.time_zone, draft.schedule),
    )


def _checked_schedule(self_paced: bool, time_zone: str, opens: Schedule) -> Schedule:
    """A self-paced workshop's schedule in phase order, each phase after the one before (a
    live workshop keeps the times it may have, unused); InvalidSetting otherwise."""
    if self_paced:
        return schedule.checked(opens, time_zone)
    schedule.zone(time_zone)
    return opens


def create_workshop(store: Store, draft: WorkshopDraft) -> Created:
    """Create a workshop in the lobby phase.

    Returns the workshop with its facilitator key and presenter token (shown once; only
    their hashes are stored) and a facilitator session token for the page link.
    Raises InvalidText or InvalidSetting.
    """
    draft = check_draft(draft)
    key, presenter, session = security.new_key(), security.new_token(), security.new_token()
    workshop = store.create_workshop(
        draft,
        new_code=security.new_join_code,
        key_hash=security.hash_key(key),
        presenter_token_hash=security.hash_token(presenter),
        session_token_hash=security.hash_token(session),
    )
    return Created(workshop, key, presenter, session)


def edit_workshop(store: Store, access: Access, draft: WorkshopDraft) -> Workshop:
    """Change the title, strategy, themes and settings while the room is still in the Lobby.

    Raises WrongPhase after the Lobby, InvalidText / InvalidSetting for a bad draft, and
    InvalidSetting when a theme to be removed already holds contributions.
    """
    workshop = facilitated_workshop(store, access)
    if workshop.phase is not Phase.LOBBY:
        raise WrongPhase(
            _(
                "The workshop can be edited only in the Lobby, before the room starts. Go back to the Lobby first."
            )
        )
    in_use = store.update_workshop(workshop.id, check_draft(draft))
    if in_use:
        raise InvalidSetting(
            _(
                'The theme "{value}" already has statements or needs, so it cannot be removed. Keep it, or hide its items in Moderation.'
            ).format(value=in_use[0])
        )
    return store.existing_workshop(workshop.id)


def find_workshop(store: Store, code: str) -> Workshop:
    """The workshop with this join code (typed in any case, with or without spaces)."""
    normal = normalise_code(code)
    workshop = store.workshop_by_code(normal) if len(normal) == security.CODE_LENGTH else None
    if workshop is None:
        raise WorkshopNotFound.for_code(normal[:12])
    return workshop


ORGANISATION = "organisation"
KEY_GUESSES = security.GuessLimiter()


def _throttled(target: str, source: str | None, limiter: security.GuessLimiter, capped: bool = True) -> None:
    waiting = limiter.wait(target, source or "", capped) if source else 0
    if waiting > 0:
        seconds = int(waiting) + 1
        raise TooManyGuesses(
            _("Too many wrong keys. Wait {value} seconds, then try again.").format(value=seconds), seconds
        )


def open_as_facilitator(
    store: Store,
    code: str,
    key: str,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> tuple[str, Workshop]:
    """Check a facilitator key; return a session token for the link and the workshop.

    `source` (the client's address, see ui.guess_source) has its wrong keys for this
    workshop counted: after a few, each try of that client waits longer
    (security.GuessLimiter); other clients, the facilitator among them, are not slowed.
    Raises WorkshopNotFound or AccessDenied.
    """
    workshop = _facilitator_key_checked(store, code, key, source, limiter)
    token = security.new_token()
    store.add_session(security.hash_token(token), "facilitator", workshop.id)
    return token, workshop


def _facilitator_key_checked(
    store: Store, code: str, key: str, source: str | None, limiter: security.GuessLimiter
) -> Workshop:
    """The workshop with this code when `key` is its facilitator key; wrong keys counted and
    slowed down per client and workshop (security.GuessLimiter). Raises WorkshopNotFound or
    AccessDenied."""
    workshop = find_workshop(store, code)
    target = f"workshop:{workshop.code}"
    # Each client's own wrong keys only: a facilitator key has 124 random bits, and a cap
    # across clients would only let a dozen guessers lock its facilitator out.
    _throttled(target, source, limiter, capped=False)
    stored = store.facilitator_key_hash(workshop.id)
    right = bool(key and stored and security.key_matches(key, stored))
    if source:
        limiter.checked(target, source, right)
    if not right:
        logs.event("sign_in_failed", workshop.code, role="facilitator", client=source or "-")
        raise AccessDenied(
            _(
                "That is not the facilitator key of workshop {code}. Check the key you were shown when the workshop was created."
            ).format(code=workshop.code)
        )
    return workshop


def open_as_organisation(
    store: Store,
    key: str,
    organisation_key: str | None,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> str:
    """Check the organisation key (from the environment or secrets); return a session token.

    Raises AccessDenied, also when no organisation key is configured; wrong keys from one
    `source` are slowed down as for facilitator keys.
    """
    check_organisation_key(key, organisation_key, source=source, limiter=limiter, via="review")
    token = security.new_token()
    store.add_session(security.hash_token(token), "organisation", None)
    return token


def check_organisation_key(
    key: str,
    organisation_key: str | None,
    *,
    source: str | None,
    limiter: security.GuessLimiter = KEY_GUESSES,
    via: str,
) -> None:
    """Check the organisation key, wherever it is given (`via`: review, metrics, backup), as
    every key is checked: wrong keys from one `source` (the client's address) wait longer and
    longer, the organisation key is checked at most 30 times a minute from everywhere
    together (security.GuessLimiter), and each wrong key is logged with its client.

    Raises AccessDenied (no organisation key configured, or a wrong one) or TooManyGuesses.
    """
    if not organisation_key:
        raise AccessDenied(
            _(
                "No organisation key is configured on this server (COCREATE_ADMIN_KEY). "
                "Open Review with the workshop code and its facilitator key instead."
            )
        )
    if settings.weak_secret("COCREATE_ADMIN_KEY", organisation_key):
        raise AccessDenied(
            _(
                "The organisation key configured on this server is too weak to open every workshop. "
                "Whoever runs this server must set a key of at least 24 random characters."
            )
        )
    _throttled(ORGANISATION, source, limiter)
    right = bool(key and security.secret_equals(key.strip(), organisation_key))
    if source:
        limiter.checked(ORGANISATION, source, right)
    if not right:
        logs.event("sign_in_failed", "-", role="organisation", via=via, client=source or "-")
        raise AccessDenied(_("That is not the organisation key. Check it with whoever runs this server."))


def check_scraper(
    sent: str,
    organisation_key: str | None,
    metrics_token: str | None,
    *,
    source: str,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> None:
    """Check what a Prometheus scraper sends for /metrics: the metrics token, else the
    organisation key. A wrong value counts as a wrong organisation key; the token is slowed
    down by its client's own wrong keys but never by the cap across clients, so people
    guessing the organisation key do not lock the scraper out. Raises AccessDenied or
    TooManyGuesses."""
    if metrics_token:
        _throttled(ORGANISATION, source, limiter, capped=False)
        if sent and security.secret_equals(sent, metrics_token):
            return
    check_organisation_key(sent, organisation_key, source=source, limiter=limiter, via="metrics")


def access_for(store: Store, session_token: str | None) -> Access:
    """What the session in a facilitator or review link may open; raises InvalidLink."""
    row = store.session(security.hash_token(session_token)) if session_token else None
    if row is None or store.now() - row.created_at > SESSION_LIFETIME:
        raise InvalidLink(
            _(
                "This link no longer opens the workshop (it is unknown or has expired). "
                "Enter the workshop code and key again."
            )
        )
    also = (
        store.session_workshops(security.hash_token(session_token))
        if row.role == "facilitator" and session_token
        else ()
    )
    return Access(row.role, row.workshop_id, also)


def add_workshop_to_review(
    store: Store,
    session_token: str,
    code: str,
    key: str,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> Workshop:
    """Let a facilitator session review one more workshop, whose key it gives (checked and
    throttled as at sign-in): the view across sessions then spans them without the
    organisation key. Raises InvalidLink, WorkshopNotFound or AccessDenied."""
    access = access_for(store, session_token)
    if access.role != "facilitator":
        raise InvalidSetting(_("The organisation key opens every workshop already."))
    workshop = _facilitator_key_checked(store, code, key, source, limiter)
    if not access.may_open(workshop.id):
        store.add_session_workshop(security.hash_token(session_token), workshop.id)
    return workshop


def facilitated_workshop(store: Store, access: Access, workshop_id: int | None = None) -> Workshop:
    """The workshop a facilitator session controls; raises AccessDenied for any other."""
    wid = access.workshop_id if workshop_id is None else workshop_id
    if access.role != "facilitator" or wid is None or wid != access.workshop_id:
        raise AccessDenied(_("This link does not open the facilitator controls of that workshop."))
    workshop = store.workshop(wid)
    if workshop is None:
        raise WorkshopNotFound(_("That workshop no longer exists."))
    return workshop


def reviewable_workshops(store: Store, access: Access) -> list[Workshop]:
    """Workshops the session may review: all for the organisation; for a facilitator its own
    and those it added with their keys."""
    if access.workshop_id is None:
        return store.all_workshops()
    found = (store.workshop(w) for w in (access.workshop_id, *access.also))
    return [w for w in found if w is not None]


def new_presenter_link(store: Store, access: Access) -> str:
    """Make a new presenter token for the facilitated workshop; the old link stops working."""
    workshop = facilitated_workshop(store, access)
    token = security.new_token()
    store.set_presenter_token(workshop.id, security.hash_token(token))
    return token


def presented_workshop(store: Store, presenter_token: str | None) -> Workshop:
    """The workshop a presenter link shows; raises InvalidLink."""
    workshop = (
        store.workshop_by_presenter_token(security.hash_token(presenter_token)) if presenter_token else None
    )
    if workshop is None:
        raise InvalidLink(
            _(
                "This presenter link is not valid (it may have been replaced). "
                "Open Facilitate and use 'Presenter link' to get the current one."
            )
        )
    return workshop


# -- participants --------------------------------------------------------------------


def join(
    store: Store, code: str, name: str | None = None, team: str | None = None
) -> tuple[Participant, str]:
    """Join a workshop by its code; returns the participant and the token for their link.

    Name and team are optional; an anonymous workshop ignores the name. A team is stored
    in the spelling the workshop already knows it by ("sales" joins "Sales").
    Raises WorkshopNotFound, WrongPhase (closed) or InvalidText.
    """
    workshop = find_workshop(store, code)
    if workshop.phase is Phase.CLOSED:
        raise WrongPhase(_("This workshop has closed; it no longer takes new participants."))
    clean_name = None if workshop.anonymous else clean_label(name, what=_("Your name"), limit=MAX_NAME)
    clean_team = clean_label(team, what=_("The team name"), limit=MAX_NAME)
    token = security.new_token()
    participant = store.add_participant(workshop.id, security.hash_token(token), clean_name, clean_team)
    return participant, token


REMOVED = N_(
    "The facilitator has taken this link out of the workshop: it opens nothing any more. "
    "Speak to the facilitator if you think this is a mistake."
)


def resume(store: Store, token: str | None) -> Participant:
    """The participant whose link carries this token; raises InvalidLink (saying so when
    the facilitator removed them)."""
    participant = store.participant_by_token(security.hash_token(token)) if token else None
    if participant is None:
        if token and store.was_removed(security.hash_token(token)):
            raise InvalidLink(_(REMOVED))
        raise InvalidLink(
            _(
                "This participant link is not valid: it may be incomplete or changed. "
                "Join again with the workshop code shown on the projector."
            )
        )
    return participant


def _workshop_in(store: Store, participant: Participant, *phases: Phase) -> Workshop:
    workshop = store.workshop(participant.workshop_id)
    if workshop is None:
        raise WorkshopNotFound(_("This workshop no longer exists."))
    if workshop.phase not in phases:
        wanted = " or ".join(p.label for p in phases)
        raise WrongPhase(
            _(
                "The workshop is in the {label} phase; this can be done only in {wanted}. Your screen has been brought up to date."
            ).format(label=workshop.phase.label, wanted=wanted)
        )
    return workshop


def _check_theme(workshop: Workshop, theme_id: int) -> None:
    if workshop.theme(theme_id) is None:
        raise ItemNotFound(_("That theme is not part of this workshop. Choose one of the themes shown."))


def _own_statement(store: Store, participant: Participant, statement_id: int) -> None:
    found = store.statement_owner(participant.workshop_id, statement_id)
    if found is None:
        raise ItemNotFound(_("That statement no longer exists."))
    if found[0] != participant.id:
        raise NotYours(_("You can change only your own statements."))


# What one person may write: (at most in a minute, at most in the workshop). A person
# writing for themselves stays far below; a script filling the room does not.
STATEMENT_QUOTA = (10, 60)
NEED_QUOTA = (5, 20)
MAX_LEARN_FROM = 3  # practices a need may point to as it is proposed
MAX_CITES = 5  # statements a need may cite as it is proposed
MAX_FOLLOW_UP_NOTE = 1000  # characters of an action's note or outcome


def _within(added: int | tuple[int, int], quota: tuple[int, int], kind: str) -> int:
    """The new item's id, or QuotaReached saying which limit the person reached (`kind`:
    "statements", "needs" or "practices")."""
    if isinstance(added, int):
        return added
    recent = added[0]
    if recent >= quota[0]:
        per_minute = {
            "statements": _(
                "You have written {n} statements in the last minute, the most one person can. "
                "Wait a minute, then share again."
            ),
            "needs": _(
                "You have written {n} needs in the last minute, the most one person can. "
                "Wait a minute, then propose again."
            ),
            "practices": _(
                "You have written {n} practices in the last minute, the most one person can. "
                "Wait a minute, then share one again."
            ),
        }
        raise QuotaReached(per_minute[kind].format(n=quota[0]))
    in_all = {
        "statements": _("You have written {n} statements in this workshop, the most one person can."),
        "needs": _("You have written {n} needs in this workshop, the most one person can."),
        "practices": _("You have written {n} practices in this workshop, the most one person can."),
    }
    raise QuotaReached(in_all[kind].format(n=quota[1]))


def share(store: Store, participant: Participant, theme_id: int, text: str) -> int:
    """Say what a theme means for you (Share phase); returns the statement id."""
    workshop = _workshop_in(store, participant, Phase.SHARE)
    _check_theme(workshop, theme_id)
    added = store.add_statement(
        participant, theme_id, clean_text(text, what=_("Your statement")), STATEMENT_QUOTA
    )
    return _within(added, STATEMENT_QUOTA, "statements")


def edit_statement(store: Store, participant: Participant, statement_id: int, text: str) -> None:
    _workshop_in(store, participant, Phase.SHARE)
    clean = clean_text(text, what=_("Your statement"))
    _own_statement(store, participant, statement_id)
    if not store.edit_statement(participant, statement_id, clean):
        raise ItemNotFound(_("That statement no longer exists."))


def withdraw_statement(store: Store, participant: Participant, statement_id: int) -> None:
    _workshop_in(store, participant, Phase.SHARE)
    _own_statement(store, participant, statement_id)
    if not store.withdraw_statement(participant, statement_id):
        raise ItemNotFound(_("That statement no longer exists."))


def react(store: Store, participant: Participant, statement_id: int, reaction: Reaction | str) -> None:
    """Agree, disagree or pass on someone else's statement (Share phase); a new reaction replaces the old."""
    _workshop_in(store, participant, Phase.SHARE)
    try:
        reaction = Reaction(reaction)
    except ValueError:
        raise InvalidSetting(_("A reaction is agree, disagree or pass.")) from None
    found = store.statement_owner(participant.workshop_id, statement_id)
    if found is None or found[1]:
        raise ItemNotFound(_("That statement is no longer shown."))
    if found[0] == participant.id:
        raise NotYours(_("This is your own statement; react to what others wrote."))
    store.set_reaction(participant, statement_id, reaction)


def _visible_need(store: Store, participant: Participant, need_id: int) -> int:
    found = store.need_state(participant.workshop_id, need_id)
    if found is None or found[1] or found[2] is not None:
        raise ItemNotFound(_("That need is no longer on the list (it may have been merged or hidden)."))
    return found[0]


def _not_on_the_list(store: Store, participant: Participant, text: str, editing: int | None = None) -> None:
    """Refuse a need whose words are those of one on the list (in any case or punctuation):
    the two would split the dots between them."""
    same = similar.normalised(text)
    for need_id, other in store.need_texts(participant.workshop_id):
        if need_id != editing and similar.normalised(other) == same:
            raise DuplicateNeed(
                _(
                    'That need is already on the list (#{need_id}). Back it with "Me too" instead of proposing it again.'
                ).format(need_id=need_id)
            )


def propose(
    store: Store,
    participant: Participant,
    theme_id: int,
    text: str,
    learn_from: Sequence[int] = (),
    cites: Sequence[int] = (),
) -> int:
    """Propose a development need for a theme (Propose phase); returns the need id. It may
    point to practices the room sees that answer it (`learn_from`) and cite the statements
    it came from ("Turn this into a need": `cites`), written with it.
    Raises DuplicateNeed when the list holds the same words already."""
    workshop = _workshop_in(store, participant, Phase.PROPOSE)
    _check_theme(workshop, theme_id)
    clean = clean_text(text, what=_("Your proposal"))
    _not_on_the_list(store, participant, clean)
    chosen = list(dict.fromkeys(learn_from))
    if len(chosen) > MAX_LEARN_FROM:
        raise InvalidSetting(
            _("Point a need to at most {MAX_LEARN_FROM} practices.").format(MAX_LEARN_FROM=MAX_LEARN_FROM)
        )
    for practice_id in chosen:
        _practice_seen_by(store, workshop.id, practice_id)
    cited = list(dict.fromkeys(cites))
    if len(cited) > MAX_CITES:
        raise InvalidSetting(_("A need cites at most {MAX_CITES} statements.").format(MAX_CITES=MAX_CITES))
    for statement_id in cited:
        _statement_shown(store, workshop.id, statement_id)
    added = store.add_need(participant, theme_id, clean, NEED_QUOTA, chosen, cited)
    return _within(added, NEED_QUOTA, "needs")


def _statement_shown(store: Store, workshop_id: int, statement_id: int) -> None:
    found = store.statement_owner(workshop_id, statement_id)
    if found is None or found[1]:
        raise ItemNotFound(_("That statement is no longer shown (it may have been hidden or withdrawn)."))


def cite_statement(store: Store, access: Access, need_id: int, statement_id: int, cited: bool = True) -> None:
    """Link a statement to a need it led to, or unlink it (the facilitator)."""
    workshop = facilitated_workshop(store, access)
    if store.need_state(workshop.id, need_id) is None:
        raise ItemNotFound(_("That need is not one of this workshop's."))
    if cited:
        _statement_shown(store, workshop.id, statement_id)
    store.cite_statement(workshop.id, need_id, statement_id, "facilitator", cited)


def edit_need(store: Store, participant: Participant, need_id: int, text: str, theme_id: int) -> None:
    workshop = _workshop_in(store, participant, Phase.PROPOSE)
    _check_theme(workshop, theme_id)
    clean = clean_text(text, what=_("Your proposal"))
    if _visible_need(store, participant, need_id) != participant.id:
        raise NotYours(_("You can change only your own proposals."))
    _not_on_the_list(store, participant, clean, editing=need_id)
    if not store.edit_need(participant, need_id, clean, theme_id):
        raise ItemNotFound(_("That need is no longer on the list."))


def withdraw_need(store: Store, participant: Participant, need_id: int) -> None:
    _workshop_in(store, participant, Phase.PROPOSE)
    if _visible_need(store, participant, need_id) != participant.id:
        raise NotYours(_("You can withdraw only your own proposals."))
    if not store.withdraw_need(participant, need_id):
        raise ItemNotFound(_("That need is no longer on the list."))


def back(store: Store, participant: Participant, need_id: int, backed: bool = True) -> None:
    """Say "me too" to someone else's need (Propose phase), or take it back."""
    _workshop_in(store, participant, Phase.PROPOSE)
    if _visible_need(store, participant, need_id) == participant.id:
        raise NotYours(_("This is your own proposal; others can back it."))
    store.set_backing(participant, need_id, backed)


def _voting_in(store: Store, participant: Participant) -> Workshop:
    """The participant's workshop, while its dots may move: in Vote, and not locked by a reveal."""
    workshop = _workshop_in(store, participant, Phase.VOTE)
    if workshop.votes_locked:
        raise WrongPhase(_(VOTES_LOCKED))
    return workshop


def _seen(workshop: Workshop) -> dict[str, Any]:
    """What a dot's log line keeps of the room as the person voted: the phase, and whether
    the counts were shown (how votes moved after the reveal: analytics.dot_moves)."""
    return {"phase": workshop.phase.value, "revealed": workshop.counts_visible}


def place_dot(store: Store, participant: Participant, need_id: int) -> int:
    """Put one dot on a need (Vote phase); returns the dots the participant has left.

    Raises BudgetSpent, NeedCapReached, ItemNotFound or WrongPhase.
    """
    workshop = _voting_in(store, participant)
    result, held = store.place_dot(
        participant, need_id, budget=workshop.dot_budget, cap=workshop.per_need_cap, seen=_seen(workshop)
    )
    if result is DotResult.BUDGET_SPENT:
        raise BudgetSpent(
            _(
                "You have placed all {dot_budget} of your dots. Take a dot back from another need to move it here."
            ).format(dot_budget=workshop.dot_budget)
        )
    if result is DotResult.CAP_REACHED:
        raise NeedCapReached(
            _("A need can hold at most {per_need_cap} of your dots. Spend the rest on other needs.").format(
                per_need_cap=workshop.per_need_cap
            )
        )
    if result is DotResult.NEED_GONE:
        raise ItemNotFound(_("That need is no longer on the list (it may have been merged or hidden)."))
    return workshop.dot_budget - held


def remove_dot(store: Store, participant: Participant, need_id: int) -> int:
    """Take one of your dots back from a need (Vote phase); returns the dots left."""
    workshop = _voting_in(store, participant)
    if not store.remove_dot(participant, need_id, _seen(workshop)):
        raise NoDotToRemove(_("You have no dot on that need to take back."))
    return workshop.dot_budget - store.viewer_state(participant.workshop_id, participant.id).dots_used


def rate(
    store: Store, participant: Participant, need_id: int, importance: int | None, capability: int | None
) -> None:
    """Rate a need's importance and the team's current capability, each 1–5 (Vote phase)."""
    workshop = _workshop_in(store, participant, Phase.VOTE)
    if not workshop.rate_needs:
        raise WrongPhase(_("This workshop does not rate needs; place your dots instead."))
    for value, what in ((importance, _("Importance")), (capability, _("Current capability"))):
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise InvalidSetting(_("{what} is rated from 1 to 5.").format(what=what))
    if importance is None and capability is None:
        raise InvalidSetting(_("Choose an importance or a capability rating before saving."))
    _visible_need(store, participant, need_id)
    store.set_rating(participant, need_id, importance, capability)


# -- facilitator ---------------------------------------------------------------------


def set_phase(store: Store, access: Access, to_phase: Phase) -> Workshop:
    """Move the whole room to a phase. Entering Results reveals the results."""
    workshop = facilitated_workshop(store, access)
    if workshop.phase is not to_phase:
        store.set_phase(
            workshop.id,
            workshop.phase,
            to_phase,
            reveal=to_phase is Phase.RESULTS,
            by=access.role,
            posts=announce.on_move(store, workshop, to_phase),
        )
        logs.event("phase", workshop.code, phase=to_phase.value)
    return store.existing_workshop(workshop.id)


def advance_phase(store: Store, access: Access) -> Workshop:
    workshop = facilitated_workshop(store, access)
    following = workshop.phase.next()
    if following is None:
        raise WrongPhase(_("The workshop is closed; there is no phase after Closed."))
    return set_phase(store, access, following)


def go_back(store: Store, access: Access) -> Workshop:
    workshop = facilitated_workshop(store, access)
    earlier = workshop.phase.previous()
    if earlier is None:
        raise WrongPhase(_("The workshop is in the Lobby; there is no phase before it."))
    return set_phase(store, access, earlier)


def close_workshop(store: Store, access: Access) -> Workshop:
    return set_phase(store, access, Phase.CLOSED)


def set_schedule(store: Store, access: Access, self_paced: bool, time_zone: str, opens: Schedule) -> Workshop:
    """Make the workshop self-paced (its phases open at the times `opens`, written in
    `time_zone`) or live; possible in any phase. A phase whose time has passed opens at the
    schedule's next look, unless the room moved after that time."""
    workshop = facilitated_workshop(store, access)
    store.set_schedule(workshop.id, self_paced, time_zone, _checked_schedule(self_paced, time_zone, opens))
    return store.existing_workshop(workshop.id)


def set_webhook(store: Store, access: Access, url: str) -> bool:
    """The chat's incoming webhook the workshop posts to (blank: none); whether it has one
    now. InvalidSetting when it is not an http(s) address."""
    workshop = facilitated_workshop(store, access)
    checked = announce.checked_webhook(url)
    store.set_webhook(workshop.id, checked)
    return checked is not None


def pause_schedule(store: Store, access: Access, paused: bool = True) -> None:
    """Stop the schedule's moves for now (the facilitator moves the room), or let it move again."""
    workshop = facilitated_workshop(store, access)
    store.set_schedule_paused(workshop.id, paused)


def set_timer(store: Store, access: Access, minutes: float | None) -> None:
    """Start a countdown everyone sees for the current phase; None clears it."""
    workshop = facilitated_workshop(store, access)
    if minutes is None:
        store.set_timer(workshop.id, None)
        return
    if not 0 < minutes <= MAX_TIMER_MINUTES:
        raise InvalidSetting(
            _("A timer runs from a few seconds up to {MAX_TIMER_MINUTES} minutes.").format(
                MAX_TIMER_MINUTES=MAX_TIMER_MINUTES
            )
        )
    store.set_timer(workshop.id, store.now() + timedelta(minutes=minutes))


def reveal_results(store: Store, access: Access, revealed: bool = True) -> None:
    """Show (or hide again) the vote counts to participants."""
    workshop = facilitated_workshop(store, access)
    store.set_revealed(workshop.id, revealed)


def pause_projector(store: Store, access: Access, paused: bool = True) -> None:
    """Hold the projector on the page it shows (while the room discusses it), or let it turn."""
    workshop = facilitated_workshop(store, access)
    store.set_projector_paused(workshop.id, paused)


def darken_projector(store: Store, access: Access, dark: bool = True) -> None:
    """Turn the projector's screen dark for a dim room, or light again, in any phase."""
    workshop = facilitated_workshop(store, access)
    store.set_projector_dark(workshop.id, dark)


def open_checkin(store: Store, access: Access, workshop_id: int, open_: bool = True) -> None:
    """Open (or close) the check-in of a closed workshop, from Review: its people rate their
    team's current capability again on the needs they rated."""
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise WorkshopNotFound(_("This workshop no longer exists."))
    if not access.may_open(workshop_id):
        raise AccessDenied(_("This key opens only its own workshop."))
    if open_ and workshop.phase is not Phase.CLOSED:
        raise WrongPhase(_("A check-in asks again after the workshop: close the workshop first."))
    store.set_checkin_open(workshop_id, open_)


def check_in(store: Store, participant: Participant, need_id: int, capability: int) -> None:
    """Rate the team's current capability on a need again, 1–5 (while the check-in is open),
    on a need the person rated at the workshop."""
    workshop = store.workshop(participant.workshop_id)
    if workshop is None:
        raise WorkshopNotFound(_("This workshop no longer exists."))
    if not workshop.checkin_open:
        raise WrongPhase(_("The check-in is not open. The facilitator opens it after the workshop."))
    if type(capability) is not int or not 1 <= capability <= 5:
        raise InvalidSetting(_("Choose how well your team can do it today, from 1 to 5."))
    rated = store.viewer_state(workshop.id, participant.id).ratings
    if rated.get(need_id, (None, None))[1] is None:
        raise ItemNotFound(
            _("You did not rate that need at the workshop; the check-in asks about those you did.")
        )
    store.check_in(participant, need_id, capability)


def save_as_template(store: Store, access: Access, name: str) -> Template:
    """Keep this workshop as a template (its texts, themes and questions, settings and the
    practices it features), listed with the built-in ones when a workshop is created."""
    workshop = facilitated_workshop(store, access)
    featured = tuple(p.id for p in store.practices(workshop.id) if p.featured)
    return templates.save_template(name, workshop.draft(), featured)


def import_template(store: Store, access: Access, data: bytes) -> Template:
    """Add a template file saved by a Cocreate (a facilitator's session is needed)."""
    facilitated_workshop(store, access)
    return templates.import_template(data)


def feature_from_template(store: Store, access: Access, template: Template) -> int:
    """Show in a new workshop the practices its template features, those still in the
    library; how many."""
    shown = 0
    for practice_id in template.featured:
        with contextlib.suppress(ItemNotFound, InvalidSetting):
            feature_practice(store, access, practice_id)
            shown += 1
    return shown


def show_help_pairs(store: Store, access: Access, shown: bool = True) -> None:
    """Show who can help whom beside the charts of the projector's Results, or stop."""
    workshop = facilitated_workshop(store, access)
    store.set_help_pairs_shown(workshop.id, shown)


def hide_statement(store: Store, access: Access, statement_id: int, hidden: bool = True) -> None:
    workshop = facilitated_workshop(store, access)
    if not store.set_statement_hidden(workshop.id, statement_id, hidden):
        raise ItemNotFound(_("That statement is not part of this workshop."))
    logs.event("hide" if hidden else "show", workshop.code, item=f"statement #{statement_id}")


def hide_need(store: Store, access: Access, need_id: int, hidden: bool = True) -> int:
    """Hide a need from everyone (its dots go back to their owners) or show it again.

    Returns the number of dots given back.
    """
    workshop = facilitated_workshop(store, access)
    returned = store.set_need_hidden(workshop.id, need_id, hidden)
    if returned is None:
        raise ItemNotFound(_("That need is not on this workshop's list (it may have been merged)."))
    logs.event("hide" if hidden else "show", workshop.code, item=f"need #{need_id}")
    return returned


def remove_participant(store: Store, access: Access, participant_id: int) -> dict[str, int]:
    """Take a participant out of the room (store.remove_participant): their link stops
    working at once, on every open screen too, what they wrote is hidden and what they
    counted for (dots, backings, reactions, ratings) no longer counts. They may join again
    with the code, as someone new. Returns what was hidden and taken away."""
    workshop = facilitated_workshop(store, access)
    done = store.remove_participant(workshop.id, participant_id)
    if done is None:
        raise ItemNotFound(_("That person is not in this workshop, or has been removed already."))
    return done


# -- practices: what already works ---------------------------------------------------

PRACTICE_QUOTA = (5, 20)
MAX_PRACTICE_TITLE = 80
MAX_PRACTICE_DESCRIPTION = 1000
NO_PRACTICES = N_("This workshop does not ask for practices; the facilitator can turn them on.")


def share_practice(
    store: Store,
    participant: Participant,
    theme_id: int,
    title: str,
    description: str,
    show_name: bool = False,
) -> int:
    """Share what already works for you under a theme (Share phase): a short title and what
    you do, how, and what it changed. `show_name`: name me beside it (named workshops only).
    Returns the practice's id."""
    workshop = _workshop_in(store, participant, Phase.SHARE)
    if not workshop.ask_practices:
        raise WrongPhase(_(NO_PRACTICES))
    _check_theme(workshop, theme_id)
    clean_title = clean_label(title, what=_("The practice's title"), limit=MAX_PRACTICE_TITLE)
    if clean_title is None:
        raise InvalidText(_("The practice's title is empty. Name it in a few words and send it again."))
    clean_description = clean_text(description, what=_("The description"), limit=MAX_PRACTICE_DESCRIPTION)
    added = store.add_practice(
        participant,
        theme_id,
        clean_title,
        clean_description,
        bool(show_name) and not workshop.anonymous,
        PRACTICE_QUOTA,
    )
    return _within(added, PRACTICE_QUOTA, "practices")


def _practice_seen_by(store: Store, workshop_id: int, practice_id: int) -> None:
    """A practice that the workshop's people see: its own, or one its facilitator featured;
    ItemNotFound otherwise (hidden, archived, merged, of another workshop)."""
    found = store.practice_origin(practice_id)
    if found is None or found[1] or found[2]:
        raise ItemNotFound(_("That practice is no longer shown (it may have been hidden or merged)."))
    if found[0] != workshop_id and not store.is_featured(workshop_id, practice_id):
        raise ItemNotFound(_("That practice is not part of this workshop."))


# -- stories of practice -----------------------------------------------------------------

MAX_STORY_TEXT = 600  # characters of what was tried, and of what happened
RECOMMEND = ("yes", "partly", "no")  # would the teller recommend the practice
TOLD = N_("You told how this practice went already: thank you.")


def _story(tried: str, happened: str, recommend: str) -> tuple[str, str, str]:
    """A story's parts, cleaned; InvalidText / InvalidSetting say what to change."""
    if recommend not in RECOMMEND:
        raise InvalidSetting(_("Say whether you would recommend it: yes, partly or no."))
    return (
        clean_text(tried, what=_("What you tried"), limit=MAX_STORY_TEXT),
        clean_text(happened, what=_("What happened"), limit=MAX_STORY_TEXT),
        recommend,
    )


def tell_story(
    store: Store,
    participant: Participant,
    practice_id: int,
    tried: str,
    happened: str,
    recommend: str,
    show_name: bool = False,
) -> int:
    """How a practice the person sees went when they tried it (from Share on, the workshop
    closed too): one story per person and practice. Their name only when they choose to
    show it in a named workshop. Returns the story's id."""
    workshop = _workshop_in(
        store, participant, Phase.SHARE, Phase.PROPOSE, Phase.VOTE, Phase.RESULTS, Phase.CLOSED
    )
    _practice_seen_by(store, workshop.id, practice_id)
    story = _story(tried, happened, recommend)
    made = store.add_story(
        practice_id,
        workshop.id,
        story,
        participant=participant,
        show_name=show_name and not workshop.anonymous,
    )
    if made is None:
        raise InvalidSetting(_(TOLD))
    return made


def tell_story_of_action(
    store: Store,
    access: Access,
    follow_up_id: int,
    practice_id: int,
    tried: str,
    happened: str,
    recommend: str,
) -> int:
    """The story of a practice an action tried out, told by the action's owner once it is
    done (Review asks for it). Returns the story's id."""
    follow_up = _own_follow_up(store, access, follow_up_id)
    if practice_id not in follow_up.practice_ids:
        raise ItemNotFound(_("That practice is not one this action tries out."))
    if follow_up.status is not FollowUpStatus.DONE:
        raise InvalidSetting(_("Tell how it went once the action is done."))
    origin = store.practice_origin(practice_id)
    if origin is None:
        raise ItemNotFound(_("That practice is no longer shown (it may have been hidden or merged)."))
    workshop_id = next(iter(follow_up.workshop_ids), origin[0])
    made = store.add_story(
        practice_id,
        workshop_id,
        _story(tried, happened, recommend),
        told_by=access.role,
        follow_up_id=follow_up.id,
    )
    assert made is not None  # a leader's stories are not one per person
    return made


def hide_story(store: Store, access: Access, story_id: int, hidden: bool = True) -> None:
    """Hide a story told in this workshop from everyone, or show it again."""
    workshop = facilitated_workshop(store, access)
    if not store.set_story_hidden(workshop.id, story_id, hidden):
        raise ItemNotFound(_("That story was not told in this workshop."))
    logs.event("hide" if hidden else "show", workshop.code, item=f"story #{story_id}")


def react_to_practice(
    store: Store, participant: Participant, practice_id: int, kind: PracticeReaction | str, on: bool = True
) -> None:
    """ "We do this too" or "We'd like to try this" on a practice (or take it back), while
    the workshop is open."""
    workshop = store.workshop(participant.workshop_id)
    if workshop is None:
        raise WorkshopNotFound(_("This workshop no longer exists."))
    if workshop.phase is Phase.CLOSED:
        raise WrongPhase(_("The workshop is closed: its practices can be read, no longer marked."))
    try:
        reaction = PracticeReaction(kind)
    except ValueError:
        raise InvalidSetting(_("Say 'We do this too' or 'We'd like to try this'.")) from None
    _practice_seen_by(store, workshop.id, practice_id)
    store.set_practice_reaction(participant, practice_id, reaction, on)


def hide_practice(store: Store, access: Access, practice_id: int, hidden: bool = True) -> None:
    workshop = facilitated_workshop(store, access)
    if not store.set_practice_hidden(workshop.id, practice_id, hidden):
        raise ItemNotFound(_("That practice is not one of this workshop's."))


def featuring_workshops(store: Store, access: Access) -> list[Workshop]:
    """The workshops a facilitator session may show practices of the library to: the one it
    facilitates and those it added by their facilitator keys, not closed ones; the one it
    facilitates first, then the earliest in its phases (about to run)."""
    if access.role != "facilitator" or access.workshop_id is None:
        return []
    found = [store.workshop(w) for w in (access.workshop_id, *access.also)]
    open_ = [w for w in found if w is not None and w.phase is not Phase.CLOSED]
    return sorted(open_, key=lambda w: (w.id != access.workshop_id, w.phase.index, w.created_at))


def feature_practice(
    store: Store, access: Access, practice_id: int, featured: bool = True, workshop_id: int | None = None
) -> None:
    """Show a practice from an earlier workshop to the people of a workshop this session
    facilitates, or added by its facilitator key (`workshop_id`, else the one it facilitates),
    or stop; not to a closed one."""
    target = access.workshop_id if workshop_id is None else workshop_id
    if access.role != "facilitator" or target is None or target not in (access.workshop_id, *access.also):
        raise AccessDenied(_("This link does not open the facilitator controls of that workshop."))
    workshop = store.workshop(target)
    if workshop is None:
        raise WorkshopNotFound(_("That workshop no longer exists."))
    found = store.practice_origin(practice_id)
    if found is None or found[1] or found[2]:
        raise ItemNotFound(
            _("That practice is not in the library (it may have been hidden, merged or archived).")
        )
    if found[0] == workshop.id:
        raise InvalidSetting(_("That practice was shared in this workshop: its people see it already."))
    if featured and workshop.phase is Phase.CLOSED:
        raise WrongPhase(
            _(
                "“{title}” is closed: its people no longer look at practices. Open the library from the facilitator link of the workshop about to run."
            ).format(title=workshop.title)
        )
    store.set_featured(workshop.id, practice_id, featured)


def _tidied_by(store: Store, access: Access, practice_id: int) -> int:
    """The workshop of a practice in the library that this key may tidy (archive, merge):
    the organisation key any, a facilitator key its own workshop's."""
    found = store.practice_origin(practice_id)
    if found is None:
        raise ItemNotFound(_("That practice is no longer in the library (it may have been merged)."))
    if not access.may_open(found[0]):
        raise AccessDenied(_("This key tidies only the practices shared in its own workshop."))
    return found[0]


def archive_practice(store: Store, access: Access, practice_id: int, archived: bool = True) -> None:
    """Take a practice out of the library and off every board (kept, to bring back), or bring it back."""
    _tidied_by(store, access, practice_id)
    store.set_practice_archived(practice_id, archived, access.role)


def merge_practices(store: Store, access: Access, source_id: int, target_id: int) -> None:
    """Merge a duplicate practice into another (its marks, links and actions go with it)."""
    if source_id == target_id:
        raise InvalidSetting(_("Choose another practice to merge it into."))
    _tidied_by(store, access, source_id)
    _tidied_by(store, access, target_id)
    if not store.merge_practices(source_id, target_id, access.role):
        raise ItemNotFound(_("One of the two practices is no longer in the library. Search again."))


def link_need_to_practice(
    store: Store, who: Participant | Access, need_id: int, practice_id: int, linked: bool = True
) -> None:
    """Point a need at a practice that answers it ("learn from this"), or stop: the need's
    author (a participant) or the workshop's facilitator (an Access)."""
    if isinstance(who, Participant):
        workshop = store.workshop(who.workshop_id)
        if workshop is None:
            raise WorkshopNotFound(_("This workshop no longer exists."))
        found = store.need_state(workshop.id, need_id)
        if found is None or found[1] or found[2] is not None:
            raise ItemNotFound(_("That need is no longer on the list (it may have been merged or hidden)."))
        if found[0] != who.id:
            raise NotYours(_("You can point only your own needs to practices; back this one instead."))
        by = "participant"
    else:
        workshop = facilitated_workshop(store, who)
        if store.need_state(workshop.id, need_id) is None:
            raise ItemNotFound(_("That need is not part of this workshop."))
        by = "facilitator"
    if workshop.phase is Phase.CLOSED:
        raise WrongPhase(_("The workshop is closed: its needs stay as they are."))
    _practice_seen_by(store, workshop.id, practice_id)
    store.link_practice(workshop.id, need_id, practice_id, by, linked)


def merge_needs(store: Store, access: Access, source_id: int, target_id: int) -> dict[str, int]:
    """Merge need `source_id` into `target_id`: backers and dots move, nothing is counted twice.

    Returns how many backers were added, dots moved and dots given back (over the cap).
    """
    return merge_group(store, access, [source_id], target_id)


def merge_group(store: Store, access: Access, source_ids: list[int], target_id: int) -> dict[str, int]:
    """Merge every need of `source_ids` into `target_id` in one go (a group of duplicates):
    all of them or, when one cannot be merged, none. Returns what moved, summed."""
    workshop = facilitated_workshop(store, access)
    sources = list(dict.fromkeys(source_ids))
    if not sources or target_id in sources:
        raise InvalidMerge(_("Choose two different needs to merge."))
    for need_id in (*sources, target_id):
        found = store.need_state(workshop.id, need_id)
        if found is None or found[2] is not None:
            raise InvalidMerge(
                _("Need #{need_id} is not on this workshop's list; it may have been merged already.").format(
                    need_id=need_id
                )
            )
        if found[1]:
            raise InvalidMerge(
                _("Need #{need_id} is hidden; show it again before merging.").format(need_id=need_id)
            )
    moved = store.merge_needs(workshop.id, sources, target_id, cap=workshop.per_need_cap)
    logs.event("merge", workshop.code, item=f"need #{target_id}", count=len(sources))
    return moved


def unmerge_need(store: Store, access: Access, need_id: int) -> dict[str, int]:
    """Undo the merge of need `need_id` exactly: it is on the list again with its backers,
    ratings and dots (a dot its owner took back or spent elsewhere since stays where it
    is). Returns how many dots came back and how many did not."""
    workshop = facilitated_workshop(store, access)
    undone = store.unmerge_need(workshop.id, need_id, budget=workshop.dot_budget)
    if undone is None:
        raise InvalidMerge(
            _(
                "Need #{need_id} is not merged into another need. If the need it was merged into was merged since, unmerge that one first."
            ).format(need_id=need_id)
        )
    return undone


# -- follow-up actions (leaders) -------------------------------------------------------


def _check_follow_up(
    title: str, owner: str | None, due_date: date | str | None
) -> tuple[str, str | None, date | None]:
    clean_title = clean_text(title, what=_("The action's title"), limit=200)
    clean_owner = clean_label(owner, what=_("The owner"), limit=80)
    if isinstance(due_date, str):
        try:
            due_date = date.fromisoformat(due_date.strip()) if due_date.strip() else None
        except ValueError:
            raise InvalidSetting(_("Write the due date as YYYY-MM-DD, for example 2027-03-31.")) from None
    return clean_title, clean_owner, due_date


def _status(status: FollowUpStatus | str) -> FollowUpStatus:
    try:
        return FollowUpStatus(status)
    except ValueError:
        raise InvalidSetting(_("A follow-up action is planned, in progress or done.")) from None


def create_follow_up(
    store: Store,
    access: Access,
    title: str,
    need_ids: list[int],
    *,
    owner: str | None = None,
    due_date: date | str | None = None,
    status: FollowUpStatus | str = FollowUpStatus.PLANNED,
    practices: Sequence[tuple[int, int]] = (),
) -> int:
    """Turn needs, or people's wish to try a practice, into a development action; its id.

    `practices`: (practice id, workshop id) pairs: the action tries the practice out for
    that workshop (whose people would like to try it); done, the practice counts as adopted
    there. The organisation key may link needs and workshops of any workshops, a facilitator
    key only its own. Raises InvalidText / InvalidSetting for bad fields, ItemNotFound for an
    unknown, hidden or merged need or practice, AccessDenied for another workshop's.
    """
    clean_title, clean_owner, due = _check_follow_up(title, owner, due_date)
    if not need_ids and not practices:
        raise InvalidSetting(_("Choose at least one need that this action answers."))
    for practice_id, workshop_id in practices:
        origin = store.practice_origin(practice_id)
        if origin is None or origin[1] or origin[2]:
            raise ItemNotFound(_("That practice is no longer in the library. Choose another."))
        if store.workshop(workshop_id) is None:
            raise WorkshopNotFound(_("Choose the workshop whose people would like to try it."))
        if not access.may_open(workshop_id):
            raise AccessDenied(_("This key opens only its own workshop: plan the action for that workshop."))
    found = store.need_workshops(need_ids)
    for need_id in need_ids:
        if need_id not in found or found[need_id][1] or found[need_id][2] is not None:
            raise ItemNotFound(
                _("Need #{need_id} is not on any list (it may be hidden or merged). Choose another.").format(
                    need_id=need_id
                )
            )
        if not access.may_open(found[need_id][0]):
            raise AccessDenied(_("This key opens only its own workshop's needs."))
    workshops = sorted({found[n][0] for n in need_ids} | {w for _practice, w in practices})
    return store.add_follow_up(
        clean_title,
        clean_owner,
        due,
        _status(status),
        access.role,
        sorted(set(need_ids)),
        workshops,
        sorted(set(practices)),
    )


def update_follow_up(
    store: Store,
    access: Access,
    follow_up_id: int,
    *,
    title: str,
    owner: str | None,
    due_date: date | str | None,
    status: FollowUpStatus | str,
    note: str | None = None,
    outcome: str | None = None,
) -> None:
    """Change an action's title, owner (reassign it), due date, status, note or outcome (None
    keeps the note or outcome as it is; an empty text clears it). A change of status is kept
    with its date."""
    existing = _own_follow_up(store, access, follow_up_id)
    clean_title, clean_owner, due = _check_follow_up(title, owner, due_date)
    clean_note = (
        existing.note if note is None else clean_optional(note, what=_("The note"), limit=MAX_FOLLOW_UP_NOTE)
    )
    clean_outcome = (
        existing.outcome
        if outcome is None
        else clean_optional(outcome, what=_("The outcome"), limit=MAX_FOLLOW_UP_NOTE)
    )
    store.update_follow_up(
        follow_up_id, clean_title, clean_owner, due, _status(status), access.role, clean_note, clean_outcome
    )


def delete_follow_up(store: Store, access: Access, follow_up_id: int) -> None:
    """Delete an action; the moderation log of its workshops keeps its title and status."""
    _own_follow_up(store, access, follow_up_id)
    if not store.delete_follow_up(follow_up_id, access.role):
        raise ItemNotFound(_("That follow-up action no longer exists."))


def _own_follow_up(store: Store, access: Access, follow_up_id: int) -> FollowUp:
    existing = next((f for f in store.follow_ups() if f.id == follow_up_id), None)
    if existing is None:
        raise ItemNotFound(_("That follow-up action no longer exists."))
    if not all(access.may_open(w) for w in existing.workshop_ids):
        raise AccessDenied(_("This key opens only follow-up actions on its own workshop's needs."))
    return existing


def follow_ups(store: Store, access: Access, workshop_ids: list[int] | None = None) -> list[FollowUp]:
    """The follow-up actions on needs of the given workshops that this key may see."""
    allowed = [w.id for w in reviewable_workshops(store, access)]
    wanted = allowed if workshop_ids is None else [w for w in workshop_ids if w in allowed]
    return [f for f in store.follow_ups(wanted) if all(access.may_open(w) for w in f.workshop_ids)]
