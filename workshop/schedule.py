"""Self-paced workshops: when each phase opens (written in the workshop's time zone, kept in
UTC), the moves the schedule makes when a phase falls due, and the phases as a calendar file.

A move is one conditional transaction (Store.set_phase: from the phase it expects), so with
several processes on one database exactly one makes it; a process that was down when a
phase fell due makes the move when it starts. A move by hand after a phase's time wins over
it: the schedule moves only to phases whose time came after the room last moved.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import icalendar

from workshop import announce, i18n, timezones
from workshop.errors import CocreateError, InvalidSetting
from workshop.i18n import _
from workshop.model import Phase, Schedule, Workshop
from workshop.store import Store

log = logging.getLogger(__name__)

# The phases a schedule opens, in order (the Lobby is where a workshop starts).
SCHEDULED = (Phase.SHARE, Phase.PROPOSE, Phase.VOTE, Phase.RESULTS, Phase.CLOSED)
# Days each phase stays open unless a template says otherwise.
DEFAULT_DAYS = {Phase.SHARE: 3, Phase.PROPOSE: 2, Phase.VOTE: 2, Phase.RESULTS: 2}
OPENING_HOUR = 9  # a default schedule's phases open at this hour of the workshop's time zone
MOVED_BY = "schedule"  # who made a move, as phase_changes and the event log write it


def from_days(start: datetime, days: dict[Phase, int], zone_name: str) -> Schedule:
    """Share opens at `start` (the zone's wall clock) and each phase after the days the one
    before stays open, at the same hour of the zone's clock; in UTC."""
    opens, at = [], start
    for phase in SCHEDULED:
        opens.append((phase, timezones.to_utc(at, zone_name)))
        at += timedelta(days=days.get(phase, DEFAULT_DAYS.get(phase, 1)))
    return tuple(opens)


def default_schedule(zone_name: str, now: datetime, days: dict[Phase, int] | None = None) -> Schedule:
    """A schedule whose Share opens the next morning (OPENING_HOUR in the zone) after `now`
    (UTC), each phase open for `days` (DEFAULT_DAYS)."""
    tomorrow = timezones.to_local(now, zone_name).date() + timedelta(days=1)
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, OPENING_HOUR)
    return from_days(start, days or DEFAULT_DAYS, zone_name)


def days_open(schedule: Schedule, zone_name: str) -> dict[Phase, int]:
    """How many days each phase of the schedule stays open (at least one): what a template
    keeps of it."""
    local = [timezones.to_local(at, zone_name) for _phase, at in schedule]
    return {
        phase: max(1, round((b - a).total_seconds() / 86400))
        for (phase, _at), a, b in zip(schedule, local, local[1:], strict=False)
    }


def checked(schedule: Schedule, zone_name: str) -> Schedule:
    """The schedule in phase order when every scheduled phase has a time, each later than the
    one before and the zone is one; else InvalidSetting says which phase to change."""
    timezones.zone(zone_name)
    times = dict(schedule)
    for phase in SCHEDULED:
        if phase not in times:
            raise InvalidSetting(
                _("A self-paced workshop needs a time for every phase: {phase} has none.").format(
                    phase=phase.label
                )
            )
    for earlier, later in zip(SCHEDULED, SCHEDULED[1:], strict=False):
        if times[later] <= times[earlier]:
            raise InvalidSetting(
                _("{later} must open after {earlier}. Change the time of {later}.").format(
                    later=later.label, earlier=earlier.label
                )
            )
    return tuple((phase, times[phase]) for phase in SCHEDULED)


def _to_come(workshop: Workshop, phase: Phase, at: datetime, last_moved: datetime | None) -> bool:
    """Whether the schedule will open `phase` at `at`: a phase after the current one, whose
    time comes after the room last moved (`last_moved`; None when it never moved), so a move
    by hand wins over the times before it."""
    return phase.index > workshop.phase.index and (last_moved is None or last_moved < at)


def due(workshop: Workshop, last_moved: datetime | None, now: datetime) -> list[Phase]:
    """The phases the schedule moves the room through now, in order: those still to come
    (_to_come) whose time has come (a workshop never moved, made after its Share's time,
    opens it at once)."""
    if not workshop.scheduled:
        return []
    return [
        phase for phase, at in workshop.schedule if _to_come(workshop, phase, at, last_moved) and at <= now
    ]


def check_after_last_move(
    workshop: Workshop, opens: Schedule, time_zone: str, last_moved: datetime | None
) -> None:
    """InvalidSetting when a phase after the current one is set to open no later than the
    room last moved: the schedule would never open it on its own."""
    if last_moved is None:
        return  # a workshop never moved opens every phase to come
    for phase, at in opens:
        if phase.index > workshop.phase.index and not _to_come(workshop, phase, at, last_moved):
            raise InvalidSetting(
                _(
                    "{phase} is set to open before the room last moved ({when}), so it would not open on its own. Set a later time, or move the room on by hand."
                ).format(
                    phase=phase.label,
                    when=i18n.format_weekday_time(timezones.to_local(last_moved, time_zone)),
                )
            )


def move_due(store: Store) -> list[tuple[Workshop, Phase]]:
    """Make every move that is due now, and queue the day-before reminders; the workshops
    moved (as they were) and where to. A room several phases behind (the process was down)
    goes through each in order, one move each, so each is recorded and the results are
    announced; only the phase it stays in is announced as open. A move another process made
    first is not this one's: the room is left to it."""
    moved = []
    now = store.now()
    for workshop, last_moved in store.scheduled_workshops():
        targets = due(workshop, last_moved, now)
        if not targets:
            announce.remind(store, workshop, now)
            continue
        current = workshop.phase
        for target in targets:
            posts = announce.on_move(store, workshop, target)
            if target is not targets[-1]:
                posts = [(kind, text) for kind, text in posts if kind != "opened"]
            try:
                made = store.set_phase(
                    workshop.id, current, target, reveal=target is Phase.RESULTS, by=MOVED_BY, posts=posts
                )
            except CocreateError as exc:
                log.warning("The schedule could not move workshop %s: %s", workshop.code, exc.message)
                break
            if not made:
                break
            log.info("The schedule moved workshop %s from %s to %s", workshop.code, current, target)
            current = target
        if current is not workshop.phase:
            moved.append((workshop, current))
    return moved


def calendar(workshop: Workshop, link: str, made: datetime) -> bytes:
    """The workshop's phases as an iCalendar file made at `made` (UTC): one event per phase,
    from when it opens until the next opens, in the workshop's time zone, with the person's
    link (the language in force names them)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Cocreate//Self-paced workshop//" + i18n.current().upper())
    cal.add("version", "2.0")
    cal.add("x-wr-calname", workshop.title)
    tz = timezones.zone(workshop.time_zone)
    spans = zip(workshop.schedule, [*workshop.schedule[1:], None], strict=True)
    for (phase, opens), following in spans:
        event = icalendar.Event()
        event.add("uid", f"cocreate-{workshop.code}-{phase.value}")
        event.add("summary", f"{workshop.title}: {phase.label}")
        event.add("dtstart", opens.replace(tzinfo=UTC).astimezone(tz))
        if following is not None:
            event.add("dtend", following[1].replace(tzinfo=UTC).astimezone(tz))
        else:
            event.add("dtend", (opens + timedelta(hours=1)).replace(tzinfo=UTC).astimezone(tz))
        event.add("dtstamp", made.replace(tzinfo=UTC))  # when the file was made (RFC 5545)
        event.add("url", link)
        event.add("description", _("Take part: {link}").format(link=link))
        cal.add_component(event)
    icalendar.Calendar.add_missing_timezones(cal)
    return cal.to_ical()
