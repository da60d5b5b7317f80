"""Practices: what already works, shared, marked, featured, tidied and linked to needs; the
stories of how they went; and the facilitator's merges of needs."""

from __future__ import annotations

import contextlib

from workshop import logs
from workshop.actions.follow_ups import (
    _own_follow_up,
)
from workshop.actions.participants import (
    _check_theme,
    _practice_seen_by,
    _within,
    _workshop_in,
)
from workshop.actions.workshops import (
    facilitated_workshop,
)
from workshop.errors import (
    AccessDenied,
    InvalidMerge,
    InvalidSetting,
    InvalidText,
    ItemNotFound,
    NotYours,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.i18n import N_, _
from workshop.model import (
    Access,
    FollowUpStatus,
    Participant,
    Phase,
    PracticeReaction,
    Workshop,
)
from workshop.store import Store
from workshop.templates import Template
from workshop.text import clean_label, clean_text

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


def feature_from_template(store: Store, access: Access, template: Template) -> int:
    """Show in a new workshop the practices its template features, those still in the
    library; how many."""
    shown = 0
    for practice_id in template.featured:
        with contextlib.suppress(ItemNotFound, InvalidSetting):
            feature_practice(store, access, practice_id)
            shown += 1
    return shown
