"""The things a workshop is made of, in workshop words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from workshop.i18n import N_, _


class Phase(StrEnum):
    """The phases the facilitator moves the whole room through, in order."""

    LOBBY = "lobby"
    SHARE = "share"
    PROPOSE = "propose"
    VOTE = "vote"
    RESULTS = "results"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _(_PHASE_LABELS[self])

    @property
    def index(self) -> int:  # type: ignore[override]  # a phase's place in the order, not str.index
        return list(Phase).index(self)

    def next(self) -> Phase | None:
        order = list(Phase)
        return order[self.index + 1] if self.index + 1 < len(order) else None

    def previous(self) -> Phase | None:
        return list(Phase)[self.index - 1] if self.index > 0 else None


_PHASE_LABELS = {
    Phase.LOBBY: N_("Lobby"),
    Phase.SHARE: N_("Share"),
    Phase.PROPOSE: N_("Propose"),
    Phase.VOTE: N_("Vote"),
    Phase.RESULTS: N_("Results"),
    Phase.CLOSED: N_("Closed"),
}


class Reaction(StrEnum):
    """How a participant responds to someone else's statement."""

    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"


DEFAULT_PROMPT = "What does this mean for you and your work?"


@dataclass(frozen=True)
class ThemeDraft:
    """A strategy theme as the facilitator writes it, before it is stored."""

    title: str
    prompt: str = DEFAULT_PROMPT


# Offered after the facilitator's teams when people join, for anyone whose team is not listed.
OTHER_TEAM = N_("Other team")  # stored as written here; shown in the reader's language
# What a participant is told when a workshop that locks voting after the reveal has revealed.
VOTES_LOCKED = N_("Voting is locked: the results are revealed, so the dots stay where they are.")


# When the phases of a self-paced workshop open: (phase, UTC time without zone), in order.
Schedule = tuple[tuple[Phase, datetime], ...]


@dataclass(frozen=True)
class WorkshopDraft:
    """Everything needed to create a workshop."""

    title: str
    strategy: str
    themes: tuple[ThemeDraft, ...]
    dot_budget: int = 5
    per_need_cap: int = 3
    anonymous: bool = False
    hide_results: bool = True
    rate_needs: bool = True
    teams: tuple[str, ...] = ()  # the teams participants pick from; none: they type their own
    projector_dark: bool = False  # light type on a dark ground, for a dim room
    lock_after_reveal: bool = False  # no dot placed or taken back once the results are revealed
    ask_practices: bool = True  # the Share phase also asks "What already works for you here?"
    show_help_pairs: bool = False  # the projector's Results also show who can help whom
    language: str = "en"  # the room's language (workshop.i18n.LANGUAGES)
    self_paced: bool = False  # the phases open on the schedule, not at the facilitator's click
    time_zone: str = "UTC"  # an IANA name: how the schedule is written and read
    schedule: Schedule = ()  # when each phase opens, in UTC (workshop.schedule)


@dataclass(frozen=True)
class HelpRule:
    """When one team would learn a need from another, on the 1–5 scales of the ratings, a
    team's mean (analytics.HELP_RULE is the rule in force; Store.help_pairs applies it)."""

    important: float  # a need at least this important to a team …
    weak: float  # … whose capability is at most this, the team would learn
    strong: float  # a team rating its capability at least this can help
    raters: int  # a team's mean counts from this many of its people


@dataclass(frozen=True)
class Theme:
    id: int
    position: int
    title: str
    prompt: str


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    strategy: str
    phase: Phase
    dot_budget: int
    per_need_cap: int
    anonymous: bool
    hide_results: bool
    revealed: bool
    rate_needs: bool
    timer_ends_at: datetime | None
    created_at: datetime
    themes: tuple[Theme, ...] = field(default=())
    teams: tuple[str, ...] = ()
    projector_dark: bool = False
    projector_paused: bool = False  # the projector keeps its page instead of turning
    lock_after_reveal: bool = False
    ask_practices: bool = True
    show_help_pairs: bool = False
    checkin_open: bool = False  # after the workshop: people rate their capability again
    language: str = "en"  # the room's language; a participant may switch their own screen
    self_paced: bool = False
    time_zone: str = "UTC"
    schedule: Schedule = ()
    schedule_paused: bool = False  # the facilitator stopped the schedule's moves for now

    @property
    def scheduled(self) -> bool:
        """Whether the schedule moves the room now."""
        return self.self_paced and not self.schedule_paused and bool(self.schedule)

    def opens_at(self, phase: Phase) -> datetime | None:
        return dict(self.schedule).get(phase)

    def next_opening(self) -> tuple[Phase, datetime] | None:
        """The next phase the schedule opens, and when (UTC): when the current phase closes."""
        if not self.scheduled:
            return None
        return next(((p, at) for p, at in self.schedule if p.index > self.phase.index), None)

    @property
    def counts_visible(self) -> bool:
        """Whether participants may see vote counts now."""
        return self.revealed or not self.hide_results

    @property
    def votes_locked(self) -> bool:
        """Whether dots stay where they are: the workshop locks voting once results are revealed."""
        return self.lock_after_reveal and self.revealed

    def theme(self, theme_id: int) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def draft(self) -> WorkshopDraft:
        """The workshop as an editable draft (its texts, themes and settings)."""
        return WorkshopDraft(
            self.title,
            self.strategy,
            tuple(ThemeDraft(t.title, t.prompt) for t in self.themes),
            self.dot_budget,
            self.per_need_cap,
            self.anonymous,
            self.hide_results,
            self.rate_needs,
            self.teams,
            self.projector_dark,
            self.lock_after_reveal,
            self.ask_practices,
            self.show_help_pairs,
            self.language,
            self.self_paced,
            self.time_zone,
            self.schedule,
        )


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str | None
    team: str | None
    joined_at: datetime

    @property
    def display_name(self) -> str:
        return self.name or _("Anonymous")


@dataclass(frozen=True)
class Created:
    """What creating a workshop hands back; the key and token are never stored in clear."""

    workshop: Workshop
    facilitator_key: str
    presenter_token: str
    session_token: str


@dataclass(frozen=True)
class Statement:
    id: int
    theme_id: int
    participant_id: int
    author: str | None
    team: str | None
    text: str
    created_at: datetime
    hidden: bool
    agree: int
    disagree: int
    passes: int
    my_reaction: Reaction | None = None


@dataclass(frozen=True)
class Need:
    id: int
    theme_id: int
    participant_id: int
    author: str | None
    team: str | None
    text: str
    created_at: datetime
    hidden: bool
    backers: int
    dots: int
    merged_from: tuple[int, ...] = ()
    i_backed: bool = False
    my_dots: int = 0
    my_importance: int | None = None
    my_capability: int | None = None


class FollowUpStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    DONE = "done"

    @property
    def label(self) -> str:
        """The status as people read it, in the language in force."""
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    FollowUpStatus.PLANNED: N_("planned"),
    FollowUpStatus.IN_PROGRESS: N_("in progress"),
    FollowUpStatus.DONE: N_("done"),
}


class PracticeReaction(StrEnum):
    DO_TOO = "do_too"  # "We do this too"
    WANT_TO_TRY = "want_to_try"  # "We'd like to try this"


@dataclass(frozen=True)
class Practice:
    """Something that already works for someone, shared in a workshop under one of its themes."""

    id: int
    workshop_id: int
    theme_id: int
    participant_id: int
    author: str | None  # the author's name, only when they chose to show it in a named workshop
    team: str | None
    title: str
    description: str
    created_at: datetime
    hidden: bool
    do_too: int  # people, in every workshop, who said "We do this too"
    want_to_try: int  # … "We'd like to try this"
    featured: bool = False  # from an earlier workshop, shown in this one by its facilitator
    i_do: bool = False
    i_want: bool = False
    origin: str = ""  # the title of the workshop it was shared in
    theme: str = ""  # the title of the theme it was shared under (there)


@dataclass(frozen=True)
class FollowUp:
    """A development action a leader takes on needs, or to try practices people would like to try."""

    id: int
    title: str
    owner: str | None
    due_date: date | None
    status: FollowUpStatus
    created_by: str
    created_at: datetime
    updated_at: datetime
    need_ids: tuple[int, ...]
    workshop_ids: tuple[
        int, ...
    ]  # the workshops whose needs, or whose people's wish to try a practice, it answers
    practice_ids: tuple[int, ...] = ()  # practices it tries out; done, they count as adopted there
    done_at: datetime | None = None
    note: str | None = None  # how it is going
    outcome: str | None = None  # what came of it, when it closed


@dataclass(frozen=True)
class Access:
    """What an opened facilitator or organisation session may see."""

    role: str  # "facilitator" or "organisation"
    workshop_id: int | None  # None: every workshop
    also: tuple[int, ...] = ()  # more workshops a facilitator session added on Review, each by its key

    def may_open(self, workshop_id: int) -> bool:
        return self.workshop_id is None or self.workshop_id == workshop_id or workshop_id in self.also
