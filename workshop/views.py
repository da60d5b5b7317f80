"""What a screen shows, computed once per data version and shared by the pages and the
routes: the room's lists and counts as every participant sees them, a participant's phase
line, the next statement to answer, the boards' cards and answers, the projector's screen.

What others did may lag `SHARED_MAX_AGE` seconds behind (one computation serves the whole
room); what the viewer did is laid over from their own state (store.ViewerState) and never
lags. Nothing shared is older than the workshop's last removal (hide, merge, edit,
withdrawal) or settings change (phase, reveal): see LiveCache.get.
"""

from __future__ import annotations

import json
from datetime import datetime

from workshop import analytics, i18n, settings, similar
from workshop.errors import WorkshopNotFound
from workshop.i18n import _, ngettext
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
from workshop.screens import PresentScreen, present_screen
from workshop.store import RoomNeeds, Store

SHARED_MAX_AGE = 1.0  # seconds what others did may lag on a participant's screen
ROTATE_SECONDS = 12  # the projector turns to its next page of panels this often


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


def ranking_json(store: Store, live: LiveCache, workshop: Workshop) -> str:
    """What the room chose, most dotted first, as participants' screens draw it in Results
    and Closed (ui/components/ranking.py): one JSON text for the whole room per change."""

    def compute() -> str:
        needs = room_needs(store, live, workshop.id).needs
        return json.dumps(
            [
                {
                    "id": need.id,
                    "rank": rank,
                    "text": need.text,
                    "theme": theme_title(workshop, need.theme_id),
                    "dots": need.dots,
                    "backers": need.backers,
                }
                for rank, need in enumerate(needs, start=1)
            ],
            ensure_ascii=False,
        )

    return live.get("ranking", workshop.id, compute, max_age=SHARED_MAX_AGE)


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


def room_status(workshop: Workshop, counts: dict[str, int], now: datetime) -> dict:
    """What a participant's phase line shows: the phase, its timer, how many items there are."""
    ends_in = None
    if workshop.timer_ends_at is not None:
        ends_in = max(0, int((workshop.timer_ends_at - now).total_seconds()))
    return {
        "phase": workshop.phase.value,
        "label": workshop.phase.label,
        "revealed": workshop.revealed,
        "ends_in": ends_in,
        "statements": counts["statements"],
        "needs": counts["needs"],
        "moderated": counts["moderated"],
        "practices": counts["practices"],
    }


def read_room_status(store: Store, live: LiveCache, workshop_id: int) -> tuple[dict, datetime | None, int]:
    """The room's status as the phase line shows it, when its timer ends, and how many joined."""
    workshop = workshop_now(store, workshop_id)
    counts = room_counts(store, live, workshop_id)
    return room_status(workshop, counts, store.now()), workshop.timer_ends_at, counts["joined"]


def check_seconds(joined: int) -> float:
    """How often a screen without its stream asks for the room's status, and how often the
    stream carries new counts: every second up to 100 people, at most every 4 s."""
    return min(4.0, max(1.0, joined / 100))


def spread_seconds(joined: int) -> float:
    """The longest a tab waits before redrawing its page for a move of the room, so that a
    room's page runs do not all queue in the same second."""
    return min(3.0, joined / 100)


# -- Share: statements ----------------------------------------------------------------


def named_teams(store: Store, live: LiveCache, workshop_id: int) -> frozenset[str]:
    """The teams others may see by name: those with at least COCREATE_MIN_TEAM_SIZE people
    (a smaller team would name its few members)."""

    def named() -> frozenset[str]:
        least = settings.min_team_size()
        return frozenset(team for team, size in store.team_sizes(workshop_id).items() if size >= least)

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


def others_said(statement: Statement, anonymous: bool, named: frozenset[str]) -> str:
    """A statement as others see it listed: its text, then who wrote it."""
    who = byline(statement, anonymous, named)
    return statement.text + (f"  ({who})" if who else "")


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
) -> list[dict]:
    """The practices this person sees (the workshop's own and those its facilitator
    featured), as the practice board draws them: the list is read once per change of the
    workshop for everyone (others' may `lag` so many seconds; the answer to the person's
    own write does not), the person's own marks laid over it."""
    shared = live.get("practices", workshop.id, lambda: store.practices(workshop.id), max_age=lag)
    marks = store.viewer_state(workshop.id, participant.id).marks
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
) -> tuple[int, list[dict]]:
    """The practice library as leaders and the command line read it (store.library): how
    many match, and the newest `limit`; the team named only when it has
    COCREATE_MIN_TEAM_SIZE people; when shared, as minutes."""
    total, found = store.library(
        text, theme, team, since, least=settings.min_team_size(), limit=limit, archived=archived
    )
    return total, [{**row, "shared_at": row["shared_at"].isoformat(timespec="minutes")} for row in found]


def own_statement(statement_id: int, theme_id: int, text: str) -> dict:
    """One of the person's own statements as their share board lists it."""
    return {"id": statement_id, "theme": theme_id, "text": text}


def own_statements(store: Store, participant: Participant) -> list[dict]:
    """The person's statements as their share board lists them, oldest first."""
    return [own_statement(*row) for row in store.own_statements(participant.workshop_id, participant.id)]


def next_card(store: Store, live: LiveCache, participant: Participant, workshop: Workshop) -> dict:
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


def own_need(need_id: int, theme_id: int, text: str, backers: int) -> dict:
    """One of the person's own proposals as their propose board lists it."""
    return {"id": need_id, "theme": theme_id, "text": text, "backers": backers}


def own_needs(store: Store, participant: Participant) -> list[dict]:
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


def backing_card(need: Need, workshop: Workshop, said: list[str] | None = None) -> dict:
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


def similar_needs(store: Store, live: LiveCache, participant: Participant, text: str) -> list[dict]:
    """Others' needs most like `text`, which a person typing a need may back instead
    ("Me too"), as the back board's cards: at most three, most alike first (from the
    room's list, which may lag a second)."""
    workshop = workshop_now(store, participant.workshop_id)
    room, mine = room_needs(store, live, workshop.id), store.viewer_state(workshop.id, participant.id)
    others = [(need.id, need.text) for need in room.needs if need.id not in mine.needs]
    alike = [need_id for need_id, _likeness in similar.most_alike(text, others)]
    return [backing_card(mine.need(room.by_id[i], room), workshop) for i in alike]


WORDS_PER_THEME = 4  # statements offered per theme to start a need from


def words_for_needs(store: Store, live: LiveCache, workshop: Workshop) -> list[dict]:
    """What people said in Share that the Propose board offers to turn into a need: per
    theme, the most agreed statements first (then the newest), read once per change of the
    workshop for everyone."""

    def chosen() -> list[dict]:
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


def what_became(store: Store, live: LiveCache, participant: Participant) -> list[dict]:
    """What became of the needs this person proposed, backed, put dots on or that cite what
    they said (for their own link once the workshop has closed): each need with the room's
    dots, how the person took part, and the follow-up actions answering it with their
    status, as leaders keep them."""
    mine = store.viewer_state(participant.workshop_id, participant.id)
    room = room_needs(store, live, participant.workshop_id)
    cited = store.need_statements(participant.workshop_id)
    from_words = {n for n, said in cited.items() if mine.statements & set(said)}
    ids = [
        n.id
        for n in room.needs
        if n.id in mine.needs or n.id in mine.backed or mine.dots.get(n.id) or n.id in from_words
    ]
    answered = store.actions_on_needs(ids)
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
                    }
                    for a in answered.get(need_id, [])
                ],
            }
        )
    return sorted(became, key=lambda b: (-b["dots"], b["id"]))


def relevant_practices(store: Store, live: LiveCache, participant: Participant, text: str) -> list[dict]:
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
        groups = similar.duplicate_groups([(n.id, n.text) for n in needs])
        return [sorted((by_id[i] for i in ids), key=lambda n: (-n.dots, -n.backers, n.id)) for ids in groups]

    return live.get("duplicate groups", workshop_id, group)


def backing_answer(store: Store, live: LiveCache, participant: Participant, need_id: int) -> dict:
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


def rated(need: Need) -> str | None:
    if need.my_importance is None and need.my_capability is None:
        return None
    return _("Rated: importance {importance}, capability {capability}").format(
        importance=need.my_importance, capability=need.my_capability
    )


def vote_card(need: Need, workshop: Workshop, said: list[str] | None = None) -> dict:
    """A need on the vote board, with this person's dots and rating laid over, and the
    words that led to it (`said`)."""
    return {
        "id": need.id,
        "text": need.text,
        "theme": theme_title(workshop, need.theme_id),
        "backers": need.backers,
        "mine": need.my_dots,
        "dots": need.dots if workshop.counts_visible else None,
        "rated": rated(need),
        "said": said or [],
    }


def dot_answer(store: Store, live: LiveCache, participant: Participant, need_id: int) -> dict:
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


def projector_json(screen: PresentScreen) -> str:
    """The projector's screen as its component draws it: JSON made once per screen (the
    figures are the larger part), the same for every projector of the workshop."""
    w = screen.workshop
    view = {
        "title": w.title,
        "code": w.code,
        "phase": w.phase.value,
        "label": w.phase.label,
        "rotate": ROTATE_SECONDS,
        "paused": w.projector_paused,
        "dark": w.projector_dark,
        "numbers": [{"value": n.value, "label": n.label} for n in screen.numbers],
        "note": screen.note,
        "lobby": None,
        "charts": [{"key": key, "figure": figure.to_json()} for key, figure in screen.charts],
        "terms": [{"theme": theme, "figure": figure.to_json()} for theme, figure in screen.terms],
        "wall": [list(item) for item in screen.wall],
        "pairs": [list(item) for item in screen.pairs],
    }
    if w.phase is Phase.LOBBY:
        view["lobby"] = {"strategy": w.strategy, "themes": [t.title for t in w.themes]}
    if w.phase is Phase.SHARE:
        view["themes"] = [{"title": t.title, "question": t.prompt} for t in w.themes]
    return json.dumps(view)


def projector_view(store: Store, live: LiveCache, workshop_id: int) -> tuple[str, datetime | None]:
    """The projector's view (JSON) for the workshop's current data version, made once for
    every projector, and when its timer ends. Raises WorkshopNotFound."""

    def made() -> tuple[PresentScreen, str]:
        previous = live.previous("present", workshop_id)
        try:
            screen = present_screen(store, workshop_id, previous[0] if previous else None)
        except KeyError:
            raise WorkshopNotFound(_("This workshop no longer exists.")) from None
        return screen, projector_json(screen)

    screen, view = live.get("present", workshop_id, made)
    return view, screen.workshop.timer_ends_at


def seconds_left(store: Store, ends_at: datetime | None) -> int | None:
    """Seconds left on a timer ending at `ends_at`, or None without one."""
    return None if ends_at is None else max(0, int((ends_at - store.now()).total_seconds()))
