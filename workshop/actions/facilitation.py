"""What the facilitator does with the room: move it (by hand or by its schedule's settings),
the timer, the reveal, the projector's switches, the check-in, templates, hiding and
taking a person out."""

from __future__ import annotations

from datetime import timedelta

from workshop import announce, logs, schedule, templates
from workshop.actions.workshops import (
    MAX_TIMER_MINUTES,
    _checked_schedule,
    facilitated_workshop,
)
from workshop.errors import (
    AccessDenied,
    InvalidSetting,
    ItemNotFound,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.i18n import _
from workshop.model import (
    Access,
    Participant,
    Phase,
    Schedule,
    Workshop,
)
from workshop.store import Store
from workshop.templates import Template


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
    schedule's next look, unless the room moved after that time; a phase still to come set
    before the room's last move is refused (it would never open on its own)."""
    workshop = facilitated_workshop(store, access)
    checked = _checked_schedule(self_paced, time_zone, opens)
    if self_paced:
        moves = store.phase_moves(workshop.id)
        schedule.check_after_last_move(workshop, checked, time_zone, moves[-1][2] if moves else None)
    store.set_schedule(workshop.id, self_paced, time_zone, checked)
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
