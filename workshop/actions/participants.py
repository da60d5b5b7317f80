"""What participants do: join, come back by their link, share and react, propose and back
needs, place dots and rate them; each within the phase, their own items and their quotas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workshop import security, similar
from workshop.actions.workshops import (
    facilitated_workshop,
    find_workshop,
)
from workshop.errors import (
    BudgetSpent,
    DuplicateNeed,
    InvalidLink,
    InvalidSetting,
    ItemNotFound,
    NeedCapReached,
    NoDotToRemove,
    NotYours,
    QuotaReached,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.i18n import N_, _
from workshop.model import (
    VOTES_LOCKED,
    Access,
    Participant,
    Phase,
    Reaction,
    Workshop,
)
from workshop.store import DotResult, Store
from workshop.text import MAX_NAME, clean_label, clean_text


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


def _practice_seen_by(store: Store, workshop_id: int, practice_id: int) -> None:
    """A practice that the workshop's people see: its own, or one its facilitator featured;
    ItemNotFound otherwise (hidden, archived, merged, of another workshop)."""
    found = store.practice_origin(practice_id)
    if found is None or found[1] or found[2]:
        raise ItemNotFound(_("That practice is no longer shown (it may have been hidden or merged)."))
    if found[0] != workshop_id and not store.is_featured(workshop_id, practice_id):
        raise ItemNotFound(_("That practice is not part of this workshop."))
