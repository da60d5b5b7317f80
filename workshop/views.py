"""What a screen shows, computed once per data version and shared by the pages and the
routes: the room's lists and counts as every participant sees them, a participant's phase
line, the next statement to answer, the boards' cards and answers, the projector's screen.

What others did may lag `SHARED_MAX_AGE` seconds behind (one computation serves the whole
room); what the viewer did is laid over from their own state (store.ViewerState) and never
lags. Nothing shared is older than the workshop's last removal (hide, merge, edit,
withdrawal) or settings change (phase, reveal): see LiveCache.get.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime
from typing import Any

import cachetools

from workshop import analytics, i18n, settings, similar
from workshop.errors import WorkshopNotFound
from workshop.i18n import N_, _, ngettext
from workshop.live import LiveCache
from workshop.model import (
    VOTES_LOCKED,
    FollowUpStatus,
    Need,
    Participant,
    Phase,
    Practice,
    Statement,
    Workshop,
)
from workshop.store import RoomNeeds, Store, ViewerState

SHARED_MAX_AGE = 1.0  # seconds what others did may lag on a participant's screen


# -- the room, as every participant sees it --------------------------------------------


def room_needs(store: Store, live: LiveCache, workshop_id: int, fresh: bool = False) -> RoomNeeds:
    """The needs as every participant sees them (not when `fresh`: for a person who asked
    to see what is new, the list as it is now)."""
    return live.get(
        "needs", workshop_id, lambda: store.room_needs(workshop_id), max_age=0.0 if fresh else SHARED_MAX_AGE
    )


def statements_seen(store: Store, live: LiveCache, workshop_id: int, fresh: bool = False) -> list[Statement]:
    """The workshop's statements as everybody sees them, reactions counted."""
    return live.get(
        "statements",
        workshop_id,
        lambda: store.statements(workshop_id),
        max_age=0.0 if fresh else SHARED_MAX_AGE,
    )


def room_counts(store: Store, live: LiveCache, workshop_id: int) -> dict[str, int]:
    """Who joined and how many statements and needs participants see."""
    return live.get(
        "visible_counts",
        workshop_id,
        lambda: analytics.visible_counts(store, workshop_id),
        max_age=SHARED_MAX_AGE,
    )


def workshop_now(store: Store, workshop_id: int) -> Workshop:
    """The workshop as it is now; raises WorkshopNotFound."""
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise WorkshopNotFound(_("This workshop no longer exists."))
    return workshop


_COUNTED = {  # the counted things screens name, each with its forms in the catalogs
    "dot": lambda n: ngettext("{n} dot", "{n} dots", n),
    "need": lambda n: ngettext("{n} need", "{n} needs", n),
    "backer": lambda n: ngettext("{n} backer", "{n} backers", n),
    "practice": lambda n: ngettext("{n} practice", "{n} practices", n),
    "time": lambda n: ngettext("{n} time", "{n} times", n),
    "follow-up action": lambda n: ngettext("{n} follow-up action", "{n} follow-up actions", n),
    "workshop": lambda n: ngettext("{n} workshop", "{n} workshops", n),
    "team": lambda n: ngettext("{n} team", "{n} teams", n),
}


def plural(count: int, word: str) -> str:
    """ "1 dot", "2 dots", "0 dots" (`word` one of _COUNTED), in the language in force."""
    return _COUNTED[word](count).format(n=i18n.format_number(count))


# -- a participant's phase line -----------------------------------------------------------


def room_status(workshop: Workshop, counts: dict[str, int], now: datetime) -> dict[str, Any]:
    """What a participant's phase line shows: the phase, its timer, how many items there are."""
    ends_in = None
    if workshop.timer_ends_at is not None:
        ends_in = max(0, int((workshop.timer_ends_at - now).total_seconds()))
    opening = workshop.next_opening()
    return {
        "phase": workshop.phase.value,
        "label": workshop.phase.label,
        "revealed": workshop.revealed,
        "ends_in": ends_in,
        # A self-paced workshop's next phase and when it opens (UTC): the screen says it in
        # the person's own time zone.
        "next": None if opening is None else {"phase": opening[0].value, "at": utc_text(opening[1])},
        "statements": counts["statements"],
        "needs": counts["needs"],
        "moderated": counts["moderated"],
        "practices": counts["practices"],
    }


def read_room_status(
    store: Store, live: LiveCache, workshop_id: int
) -> tuple[dict[str, Any], datetime | None, int]:
    """The room's status as the phase line shows it (with the workshop's data `version`,
    which a screen compares with the view it shows), when its timer ends, and how many
    joined."""
    version = store.version(workshop_id)  # first: a write meanwhile shows in the next status
    workshop = workshop_now(store, workshop_id)
    counts = room_counts(store, live, workshop_id)
    status = room_status(workshop, counts, store.now()) | {"version": version}
    return status, workshop.timer_ends_at, counts["joined"]


def check_seconds(joined: int) -> float:
    """How often a screen without its stream asks for the room's status, and how often the
    stream carries new counts: every second up to 100 people, at most every 4 s."""
    return min(4.0, max(1.0, joined / 100))


# -- Share: statements ----------------------------------------------------------------


def named_teams(store: Store, live: LiveCache, workshop_id: int) -> frozenset[str]:
    """The teams others may see by name: those with at least COCREATE_MIN_TEAM_SIZE people
    who answered anything (a smaller team would name its few members; counting who joined
    would name a team of three of whom one wrote)."""

    def named() -> frozenset[str]:
        least = settings.min_team_size()
        sizes = store.answering_team_sizes(workshop_id)
        return frozenset(team for team, size in sizes.items() if size >= least)

    return live.get("named teams", workshop_id, named, max_age=SHARED_MAX_AGE)


def byline(item: Statement | Need, anonymous: bool, named: frozenset[str]) -> str:
    """Who wrote it, as others may see it: nobody in an anonymous workshop; else the name
    and the team, when the team is one of `named` (big enough to be named)."""
    if anonymous:
        return ""
    parts = [item.author] if item.author else []
    if item.team and item.team in named:
        parts.append(item.team)
    return " · ".join(parts)


# -- Share: practices -------------------------------------------------------------------


def practice_source(practice: Practice, workshop: Workshop, named: frozenset[str]) -> str:
    """Where a practice comes from, as others may see it: the author's name only when they
    chose to show it (in a named workshop), the team only when it is big enough to be named
    and the workshop is not anonymous; a featured one says which workshop it came from."""
    parts = []
    if not workshop.anonymous or practice.featured:
        if practice.author:
            parts.append(practice.author)
        if practice.team and practice.team in named:
            parts.append(practice.team)
    if practice.featured:
        parts.append(_("from “{workshop}”").format(workshop=practice.origin))
    return " · ".join(parts)


def practice_cards(
    store: Store, live: LiveCache, workshop: Workshop, participant: Participant, lag: float = SHARED_MAX_AGE
) -> list[dict[str, Any]]:
    """The practices this person sees (the workshop's own and those its facilitator
    featured), as the practice board draws them: the list is read once per change of the
    workshop for everyone (others' may `lag` so many seconds; the answer to the person's
    own write does not), the person's own marks laid over it."""
    shared = live.get("practices", workshop.id, lambda: store.practices(workshop.id), max_age=lag)
    marks = store.viewer_state(workshop.id, participant.id).marks
    told = practice_stories(store, live, workshop.id, shared, lag)
    named: dict[int, frozenset[str]] = {}
    cards = []
    for practice in shared:
        origin = practice.workshop_id
        if origin not in named:
            named[origin] = named_teams(store, live, origin)
        theme = workshop.theme(practice.theme_id)
        cards.append(
            {
                "id": practice.id,
                "theme": practice.theme_id if theme else None,
                "theme_title": theme.title if theme else practice.theme,
                "title": practice.title,
                "description": practice.description,
                "source": practice_source(practice, workshop, named[origin]),
                "featured": practice.featured,
                "mine": practice.participant_id == participant.id and not practice.featured,
                "do_too": practice.do_too,
                "want_to_try": practice.want_to_try,
                "i_do": (practice.id, "do_too") in marks,
                "i_want": (practice.id, "want_to_try") in marks,
                "stories": [
                    story_view(store, live, story) for story in told.get(practice.id, [])[:STORIES_SHOWN]
                ],
                "told": len(told.get(practice.id, [])),
            }
        )
    return cards


def library(
    store: Store,
    text: str = "",
    theme: str = "",
    team: str = "",
    since: datetime | None = None,
    limit: int = 200,
    archived: bool = False,
) -> tuple[int, list[dict[str, Any]]]:
    """The practice library as leaders and the command line read it (store.library): how
    many match, and the newest `limit`; the team named only when it has
    COCREATE_MIN_TEAM_SIZE people; when shared, as minutes."""
    total, found = store.library(
        text, theme, team, since, least=settings.min_team_size(), limit=limit, archived=archived
    )
    return total, [{**row, "shared_at": row["shared_at"].isoformat(timespec="minutes")} for row in found]


def own_statement(statement_id: int, theme_id: int, text: str) -> dict[str, Any]:
    """One of the person's own statements as their share board lists it."""
    return {"id": statement_id, "theme": theme_id, "text": text}


def own_statements(store: Store, participant: Participant) -> list[dict[str, Any]]:
    """The person's statements as their share board lists them, oldest first."""
    return [own_statement(*row) for row in store.own_statements(participant.workshop_id, participant.id)]


def next_card(store: Store, live: LiveCache, participant: Participant, workshop: Workshop) -> dict[str, Any]:
    """The statement this person should answer next (others', unanswered, least answered
    first) as `card`, and how many wait for their view as `waiting`."""
    answered = store.viewer_state(workshop.id, participant.id).reactions
    waiting = [
        s
        for s in statements_seen(store, live, workshop.id)
        if s.participant_id != participant.id and s.id not in answered
    ]
    if not waiting:
        return {"card": None, "waiting": 0}
    statement = min(waiting, key=lambda s: (s.agree + s.disagree + s.passes, s.id))
    theme = workshop.theme(statement.theme_id)
    card = {
        "id": statement.id,
        "theme": theme.title if theme else "",
        "text": statement.text,
        "byline": byline(statement, workshop.anonymous, named_teams(store, live, workshop.id)),
    }
    return {"card": card, "waiting": len(waiting)}


# -- Propose: needs -------------------------------------------------------------------


def own_need(need_id: int, theme_id: int, text: str, backers: int) -> dict[str, Any]:
    """One of the person's own proposals as their propose board lists it."""
    return {"id": need_id, "theme": theme_id, "text": text, "backers": backers}


def own_needs(store: Store, participant: Participant) -> list[dict[str, Any]]:
    """The person's proposals as their propose board lists them, oldest first."""
    return [own_need(*row) for row in store.own_needs(participant.workshop_id, participant.id)]


def theme_title(workshop: Workshop, theme_id: int) -> str:
    theme = workshop.theme(theme_id)
    return theme.title if theme else ""


def cited_words(store: Store, live: LiveCache, workshop_id: int) -> dict[int, list[str]]:
    """For each need citing statements still shown, their texts (what led to it): read once
    per change of the workshop for every screen."""

    def cited() -> dict[int, list[str]]:
        shown = {s.id: s.text for s in statements_seen(store, live, workshop_id) if not s.hidden}
        found = {
            n: [shown[i] for i in ids if i in shown] for n, ids in store.need_statements(workshop_id).items()
        }
        return {n: texts for n, texts in found.items() if texts}

    return live.get("cited words", workshop_id, cited, max_age=SHARED_MAX_AGE)


def backing_card(need: Need, workshop: Workshop, said: list[str] | None = None) -> dict[str, Any]:
    """A need on the back board, with this person's backing laid over, and the words that
    led to it (`said`)."""
    return {
        "id": need.id,
        "text": need.text,
        "theme": theme_title(workshop, need.theme_id),
        "backers": need.backers,
        "backed": need.i_backed,
        "said": said or [],
    }


def similar_needs(store: Store, live: LiveCache, participant: Participant, text: str) -> list[dict[str, Any]]:
    """Others' needs most like `text`, which a person typing a need may back instead
    ("Me too"), as the back board's cards: at most three, most alike first, from the
    room's list as it is now (a need proposed a moment ago is the one most worth offering)."""
    workshop = workshop_now(store, participant.workshop_id)
    room = room_needs(store, live, workshop.id, fresh=True)
    mine = store.viewer_state(workshop.id, participant.id)
    others = [(need.id, need.text) for need in room.needs if need.id not in mine.needs]
    alike = [need_id for need_id, _likeness in similar.most_alike(text, others)]
    return [backing_card(mine.need(room.by_id[i], room), workshop) for i in alike]


WORDS_PER_THEME = 4  # statements offered per theme to start a need from


def words_for_needs(store: Store, live: LiveCache, workshop: Workshop) -> list[dict[str, Any]]:
    """What people said in Share that the Propose board offers to turn into a need: per
    theme, the most agreed statements first (then the newest), read once per change of the
    workshop for everyone."""

    def chosen() -> list[dict[str, Any]]:
        statements = statements_seen(store, live, workshop.id)
        words = []
        for theme in workshop.themes:
            mine = [s for s in statements if s.theme_id == theme.id and not s.hidden]
            mine.sort(key=lambda s: (-s.agree, -s.id))
            words += [
                {"id": s.id, "theme": theme.id, "theme_title": theme.title, "text": s.text, "agree": s.agree}
                for s in mine[:WORDS_PER_THEME]
            ]
        return words

    return live.get("words for needs", workshop.id, chosen, max_age=SHARED_MAX_AGE)


def what_became(store: Store, live: LiveCache, participant: Participant) -> list[dict[str, Any]]:
    """What became of the needs this person proposed, backed, put dots on or that cite what
    they said (for their own link once the workshop has closed): each need with the room's
    dots, how the person took part, and the follow-up actions answering it with their
    status and, once closed, what came of them, as leaders keep them (their working notes
    stay with the leaders)."""
    wid = participant.workshop_id
    mine = store.viewer_state(wid, participant.id)
    room = room_needs(store, live, wid)
    # What every person's list is made from, read once per change of the workshop (a
    # follow-up action's change moves the version of the workshops it answers).
    cited = live.get("need statements", wid, lambda: store.need_statements(wid))
    answered = live.get("actions on needs", wid, lambda: store.actions_on_needs(room.by_id))
    from_words = {n for n, said in cited.items() if mine.statements & set(said)}
    ids = [
        n.id
        for n in room.needs
        if n.id in mine.needs or n.id in mine.backed or mine.dots.get(n.id) or n.id in from_words
    ]
    became = []
    for need_id in ids:
        need = mine.need(room.by_id[need_id], room)
        how = [
            _("you proposed it") if need_id in mine.needs else "",
            _("you backed it") if need.i_backed else "",
            _("you gave it {dots}").format(dots=plural(need.my_dots, "dot")) if need.my_dots else "",
            _("it cites what you said") if need_id in from_words else "",
        ]
        became.append(
            {
                "id": need_id,
                "text": need.text,
                "how": ", ".join(filter(None, how)),
                "dots": need.dots,
                "actions": [
                    {
                        "title": a["title"],
                        "status": FollowUpStatus(a["status"]).label,
                        "owner": a["owner"],
                        "due": i18n.format_date(a["due"]) if a["due"] else None,
                        "changed": i18n.format_date(a["updated_at"]),
                        "outcome": a["outcome"],
                    }
                    for a in answered.get(need_id, [])
                ],
            }
        )
    return sorted(became, key=lambda b: (-b["dots"], b["id"]))


def relevant_practices(
    store: Store, live: LiveCache, participant: Participant, text: str
) -> list[dict[str, Any]]:
    """The practices this person sees that speak most of what they are typing as a need
    (English and Finnish word stems): at most three, as the practice board's cards, to
    learn from and to point the need to."""
    workshop = workshop_now(store, participant.workshop_id)
    cards = practice_cards(store, live, workshop, participant)
    found = similar.most_relevant(text, [(c["id"], f"{c['title']} {c['description']}") for c in cards])
    by_id = {c["id"]: c for c in cards}
    return [by_id[i] for i in found]


def duplicate_groups(store: Store, live: LiveCache, workshop_id: int) -> list[list[Need]]:
    """The needs participants see, in groups of likely duplicates (workshop/similar.py), each
    most dotted and backed first: the need the others would be merged into."""

    def group() -> list[list[Need]]:
        needs = store.needs(workshop_id)
        by_id = {n.id: n for n in needs}
        groups = _alike(tuple((n.id, n.text) for n in needs))
        return [sorted((by_id[i] for i in ids), key=lambda n: (-n.dots, -n.backers, n.id)) for ids in groups]

    return live.get("duplicate groups", workshop_id, group)


@cachetools.cached(cachetools.LRUCache(maxsize=64), lock=threading.Lock())
def _alike(needs: tuple[tuple[int, str], ...]) -> list[list[int]]:
    # Comparing every pair of texts is the dear part; the texts change only when people
    # propose, edit or the facilitator merges, not with every dot.
    return similar.duplicate_groups(needs)


def backing_answer(store: Store, live: LiveCache, participant: Participant, need_id: int) -> dict[str, Any]:
    """What a need's card on the back board shows after the person backed it or took it back."""
    mine = store.viewer_state(participant.workshop_id, participant.id)
    room = room_needs(store, live, participant.workshop_id)
    need = room.by_id.get(need_id)
    if need is not None:
        backers = mine.need(need, room).backers
    else:  # proposed within the last second: not in the room's list yet
        backers = next((n.backers for n in store.needs(participant.workshop_id) if n.id == need_id), 0)
    return {"backed": need_id in mine.backed, "backers": backers}


# -- Vote: dots ----------------------------------------------------------------------


def vote_rules(workshop: Workshop) -> str:
    if workshop.votes_locked:
        return _(VOTES_LOCKED)
    rules = [_("At most {cap} dots on one need.").format(cap=workshop.per_need_cap)]
    if not workshop.counts_visible:
        rules.append(_("Totals stay hidden until the facilitator reveals the results."))
        if workshop.lock_after_reveal:
            rules.append(_("Then voting locks."))
    return " ".join(rules)


def dot_answer(store: Store, live: LiveCache, participant: Participant, need_id: int) -> dict[str, Any]:
    """What the vote board shows after a dot was placed or taken back: the dots the person
    used, theirs on the need, and the need's total when totals are visible."""
    mine = store.viewer_state(participant.workshop_id, participant.id)
    workshop = store.workshop(participant.workshop_id)
    total = None
    if workshop is not None and workshop.counts_visible:
        room = room_needs(store, live, participant.workshop_id)
        need = room.by_id.get(need_id)
        total = None if need is None else mine.need(need, room).dots
    return {"used": mine.dots_used, "mine": mine.dots.get(need_id, 0), "dots": total}


# -- the projector ---------------------------------------------------------------------


def seconds_left(store: Store, ends_at: datetime | None) -> int | None:
    """Seconds left on a timer ending at `ends_at`, or None without one."""
    return None if ends_at is None else max(0, int((ends_at - store.now()).total_seconds()))


# -- the participant's app: what the screen shows now ------------------------------------


def vote_order(participant_id: int, need_id: int) -> bytes:
    """Where a need comes in one person's list to vote on: each person has an order of their
    own, the same on every drawing, which gives away nothing of the hidden totals, keeps
    cards still while others vote, and brings every need early for as many people as any
    other."""
    return hashlib.blake2b(f"{participant_id}:{need_id}".encode(), digest_size=8).digest()


@cachetools.cached(cachetools.LRUCache(maxsize=4096), lock=threading.Lock())
def ordered_for(participant_id: int, need_ids: tuple[int, ...]) -> tuple[int, ...]:
    """`need_ids` in the person's own order to vote in (vote_order): the same for as long as
    the room's needs are, so it is made once, not on every look at the screen (a few KB per
    person of a big room)."""
    return tuple(sorted(need_ids, key=lambda need_id: vote_order(participant_id, need_id)))


# What a participant's screen lists of others' statements: the newest of each theme.
OTHERS_SHOWN = 80


class RoomView:
    """What every participant's screen shows of the room for one data version and language
    (`body`: JSON made once; `tag`: a name of its content, the same for another version
    that shows the same, such as one that only counted a reaction), with the room's needs it
    was made from, over which each person's own backing and dots are laid (`participant_me`)."""

    def __init__(self, version: int, body: bytes, needs: RoomNeeds | None) -> None:
        self.version, self.body, self.needs = version, body, needs
        self.tag = hashlib.blake2b(body, digest_size=8).hexdigest()


def _workshop_view(workshop: Workshop) -> dict[str, Any]:
    return {
        "title": workshop.title,
        "strategy": workshop.strategy,
        "phase": workshop.phase.value,
        "label": workshop.phase.label,
        "revealed": workshop.revealed,
        "counts_visible": workshop.counts_visible,
        "anonymous": workshop.anonymous,
        "ask_practices": workshop.ask_practices,
        "rate_needs": workshop.rate_needs,
        "budget": workshop.dot_budget,
        "cap": workshop.per_need_cap,
        "rules": vote_rules(workshop),
        "locked": _(VOTES_LOCKED) if workshop.votes_locked else "",
        "checkin_open": workshop.checkin_open,
        "themes": [{"id": t.id, "title": t.title, "prompt": t.prompt} for t in workshop.themes],
        "self_paced": workshop.self_paced,
        "schedule": [[phase.value, utc_text(at)] for phase, at in workshop.schedule]
        if workshop.self_paced
        else [],
    }


def utc_text(at: datetime) -> str:
    """A UTC time (as the store keeps it, without zone) as a browser reads it: ISO with Z."""
    return at.replace(microsecond=0).isoformat() + "Z"


STORIES_SHOWN = 3  # the newest stories a practice's card shows (it counts them all)
RECOMMENDS = {
    "yes": N_("would recommend it"),
    "partly": N_("would partly recommend it"),
    "no": N_("would not recommend it"),
}


def practice_stories(
    store: Store, live: LiveCache, workshop_id: int, practices: list[Practice], lag: float
) -> dict[int, list[dict[str, Any]]]:
    """The shown stories of the practices a workshop's people see, read once per change of
    the workshop for everyone."""
    ids = tuple(p.id for p in practices)
    return live.get("stories", workshop_id, lambda: store.stories(ids), max_age=lag)


def story_view(store: Store, live: LiveCache, story: dict[str, Any]) -> dict[str, Any]:
    """A story as others see it: what was tried and happened, whether they would recommend
    it, and who told it: their name when they chose to show it, their team when it is big
    enough to name, the workshop it was told in; a leader's as an action's."""
    named = named_teams(store, live, story["workshop_id"])
    if story["told_by"] == "participant":
        who = [story["author"], story["team"] if story["team"] in named else None, story["workshop"]]
    else:
        who = [_("an action's owner"), story["workshop"]]
    return {
        "id": story["id"],
        "tried": story["tried"],
        "happened": story["happened"],
        "recommend": story["recommend"],
        "verdict": _(RECOMMENDS[story["recommend"]]),
        "source": " · ".join(part for part in who if part),
    }


def _practice_view(practice: Practice, workshop: Workshop, named: frozenset[str]) -> dict[str, Any]:
    theme = workshop.theme(practice.theme_id)
    return {
        "id": practice.id,
        "theme": practice.theme_id if theme else None,
        "theme_title": theme.title if theme else practice.theme,
        "title": practice.title,
        "description": practice.description,
        "source": practice_source(practice, workshop, named),
        "featured": practice.featured,
        "do_too": practice.do_too,
        "want_to_try": practice.want_to_try,
    }


def participant_room(store: Store, live: LiveCache, workshop_id: int) -> RoomView:
    """What every participant's screen shows of the room now, in the language in force:
    made once per data version for the whole room (what others did may lag
    SHARED_MAX_AGE seconds). Only what the phase shows: others' statements in Share (the
    newest OTHERS_SHOWN of each theme, and how many there are), the needs from Propose on
    (with their totals once revealed, and what led to each), what people said to start a
    need from in Propose, the practices. Raises WorkshopNotFound."""

    def made() -> RoomView:
        # First: a write meanwhile is not counted in. The view says the version it shows:
        # this one, or an older one when a part of it lags (see LiveCache.get_versioned).
        version = store.version(workshop_id)
        workshop = workshop_now(store, workshop_id)
        phase = workshop.phase
        view: dict[str, Any] = {"workshop": _workshop_view(workshop)}
        needs = None
        if phase is Phase.SHARE:
            seen = statements_seen(store, live, workshop_id)
            named = named_teams(store, live, workshop_id)
            shown: list[Statement] = []
            counts: dict[int, int] = {}
            for theme in workshop.themes:
                of_theme = [s for s in seen if s.theme_id == theme.id]
                counts[theme.id] = len(of_theme)
                shown += of_theme[-OTHERS_SHOWN:]
            view["statements"] = [
                {
                    "id": s.id,
                    "theme": s.theme_id,
                    "text": s.text,
                    "byline": byline(s, workshop.anonymous, named),
                }
                for s in shown
            ]
            view["statement_counts"] = {str(k): v for k, v in counts.items()}
        if phase in (Phase.PROPOSE, Phase.VOTE, Phase.RESULTS, Phase.CLOSED):
            needs = room_needs(store, live, workshop_id)
            said = cited_words(store, live, workshop_id)
            view["needs"] = [
                {
                    "id": n.id,
                    "theme": n.theme_id,
                    "theme_title": theme_title(workshop, n.theme_id),
                    "text": n.text,
                    "backers": n.backers,
                    "dots": n.dots if workshop.counts_visible else None,
                    "said": said.get(n.id, []),
                }
                for n in (
                    needs.needs
                    if workshop.counts_visible  # most dotted first; hidden totals leave no trace in the order
                    else sorted(needs.needs, key=lambda n: (-n.backers, n.id))
                )
            ]
        if phase is Phase.PROPOSE:
            view["words"] = words_for_needs(store, live, workshop)
        if phase in (Phase.SHARE, Phase.PROPOSE, Phase.CLOSED):
            practices = live.get(
                "practices", workshop_id, lambda: store.practices(workshop_id), max_age=SHARED_MAX_AGE
            )
            named_in: dict[int, frozenset[str]] = {}
            for p in practices:
                if p.workshop_id not in named_in:
                    named_in[p.workshop_id] = named_teams(store, live, p.workshop_id)
            told = practice_stories(store, live, workshop_id, practices, SHARED_MAX_AGE)
            view["practices"] = [
                _practice_view(p, workshop, named_in[p.workshop_id])
                | {
                    "stories": [
                        story_view(store, live, story) for story in told.get(p.id, [])[:STORIES_SHOWN]
                    ],
                    "told": len(told.get(p.id, [])),
                }
                for p in practices
            ]
        body = json.dumps(view, ensure_ascii=False).encode()
        return RoomView(live.oldest_read(version), body, needs)

    return live.get("participant room", workshop_id, made, max_age=SHARED_MAX_AGE)


def _own_statements(
    store: Store, live: LiveCache, participant: Participant, mine: ViewerState
) -> list[dict[str, Any]]:
    """The person's statements, oldest first: from the room's list when it holds every one of
    them (it may lag a second behind what they wrote), else read for them alone."""
    seen = [s for s in statements_seen(store, live, participant.workshop_id) if s.id in mine.statements]
    if len(seen) < len(mine.statements):
        return own_statements(store, participant)
    return [own_statement(s.id, s.theme_id, s.text) for s in sorted(seen, key=lambda s: s.id)]


def _own_needs(
    store: Store, live: LiveCache, participant: Participant, mine: ViewerState
) -> list[dict[str, Any]]:
    """The person's proposals, oldest first, with their backing: from the room's list when it
    holds every one of them, else read for them alone."""
    room = room_needs(store, live, participant.workshop_id)
    if not mine.needs <= room.by_id.keys():
        return own_needs(store, participant)
    return [
        own_need(n, room.by_id[n].theme_id, room.by_id[n].text, mine.need(room.by_id[n], room).backers)
        for n in sorted(mine.needs)
    ]


def participant_me(
    store: Store,
    live: LiveCache,
    participant: Participant,
    room: RoomView,
    *,
    display_name: str,
    team: str | None,
) -> dict[str, Any]:
    """This person's own part of their screen, laid over the room's (`room`): what they
    wrote (never lagging), their reactions' next card in Share, their backings, dots and
    ratings with each touched need's totals as they are now, their marks on practices,
    and once the workshop closed what became of their needs and the check-in."""
    workshop = workshop_now(store, participant.workshop_id)
    mine = store.viewer_state(workshop.id, participant.id)
    me: dict[str, Any] = {
        "name": display_name,
        "team": team,
        "statements": _own_statements(store, live, participant, mine)
        if workshop.phase is Phase.SHARE
        else [],
        "needs": _own_needs(store, live, participant, mine) if workshop.phase is Phase.PROPOSE else [],
        "backed": sorted(mine.backed),
        "dots": {str(k): v for k, v in mine.dots.items() if v},
        "used": mine.dots_used,
        "ratings": {str(k): [i, c] for k, (i, c) in mine.ratings.items()},
    }
    if room.needs is not None:
        # The totals of the needs this person touched, as they are now: the room's list may
        # hold their backing or dots of a moment ago.
        touched = set(mine.backed) | set(mine.dots) | room.needs.counted_for(participant.id)
        me["totals"] = {
            str(n): {"backers": need.backers, "dots": need.dots if workshop.counts_visible else None}
            for n in touched
            if (need := mine.need(room.needs.by_id[n], room.needs) if n in room.needs.by_id else None)
        }
    if workshop.phase is Phase.SHARE:
        me.update(next_card(store, live, participant, workshop))
    if workshop.phase is Phase.VOTE and room.needs is not None:
        me["order"] = ordered_for(participant.id, room.needs.ids)
    if workshop.phase in (Phase.SHARE, Phase.PROPOSE):
        me["marks"] = sorted([p, kind] for p, kind in mine.marks)
        me["practices"] = sorted(
            p.id
            for p in live.get(
                "practices", workshop.id, lambda: store.practices(workshop.id), max_age=SHARED_MAX_AGE
            )
            if p.participant_id == participant.id and not p.featured
        )
    if workshop.phase is Phase.CLOSED:
        me["became"] = what_became(store, live, participant)
        if workshop.checkin_open:
            rated = {n: c for n, (_i, c) in mine.ratings.items() if c}
            again = store.checked_in(workshop.id, participant.id)
            me["checkin"] = [
                {"id": n.id, "text": n.text, "was": rated[n.id], "now": again.get(n.id)}
                for n in room_needs(store, live, workshop.id).needs
                if n.id in rated
            ]
    return me
