"""Time zones by their IANA names, and times between UTC (how the store keeps them, without
zone) and a zone's wall clock (how the schedule's form, posts and screens say them)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import cache

from workshop.errors import InvalidSetting
from workshop.i18n import _


@cache
def zones() -> tuple[str, ...]:
    """The IANA time zones a workshop may be written in, by name."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The time zone `name`; InvalidSetting names what to choose when it is none."""
    if name not in zones():
        raise InvalidSetting(
            _("“{zone}” is not a time zone. Choose one from the list, for example Europe/Helsinki.").format(
                zone=name
            )
        )
    return zoneinfo.ZoneInfo(name)


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the zone as UTC, without zone (how the store keeps times)."""
    return local.replace(tzinfo=zone(zone_name)).astimezone(UTC).replace(tzinfo=None)


def to_local(at: datetime, zone_name: str) -> datetime:
    """A UTC time (without zone) as the zone's wall clock, without zone."""
    return at.replace(tzinfo=UTC).astimezone(zone(zone_name)).replace(tzinfo=None)
