"""Follow-up actions leaders take on needs, or to try practices people would like to try."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workshop.actions.participants import (
    MAX_FOLLOW_UP_NOTE,
)
from workshop.actions.workshops import (
    reviewable_workshops,
)
from workshop.errors import (
    AccessDenied,
    InvalidSetting,
    ItemNotFound,
    WorkshopNotFound,
)
from workshop.i18n import _
from workshop.model import (
    Access,
    FollowUp,
    FollowUpStatus,
)
from workshop.store import Store
from workshop.text import clean_label, clean_optional, clean_text


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
