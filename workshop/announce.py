"""What a workshop tells its people outside Cocreate: the posts to its chat's incoming webhook
(Microsoft Teams, Slack, Mattermost: each reads `{"text": …}`) when a phase opens, a day
before a phase closes and when the results are ready, and the reminder a facilitator pastes
into a chat by hand. Each is written in the workshop's language, its times in the
workshop's time zone.

A post is queued with the move that makes it (Store.set_phase) or by the look that finds a
phase closing within a day (`remind`), once each; web.courier sends the queue apart from any
move, retrying with a growing pause.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from workshop import analytics, i18n, settings, timezones
from workshop.errors import InvalidSetting
from workshop.i18n import N_, _, ngettext
from workshop.model import Phase, Workshop
from workshop.store import Store

REMIND_BEFORE = timedelta(days=1)  # a reminder goes this long before a phase closes …
REMIND_IF_OPEN = timedelta(days=1, hours=12)  # … when the phase is open at least this long
TOP_NEEDS = 5  # the needs the results' post names
MAX_ATTEMPTS = 12  # a post the chat refuses this often is given up (Facilitate shows it)
TIMEOUT = 10.0  # seconds a chat has to answer a post

_WHAT_TO_DO = {
    Phase.SHARE: N_("Say what the strategy means for you and your work, and answer what others said."),
    Phase.PROPOSE: N_("Propose what your team needs to learn, or back what others proposed."),
    Phase.VOTE: N_("Place your dots on the needs that matter most."),
    Phase.RESULTS: N_("See what the room chose."),
}


def public_url() -> str | None:
    """The address people reach Cocreate at (COCREATE_PUBLIC_URL): posts link to it."""
    configured = settings.get("COCREATE_PUBLIC_URL")
    return configured.rstrip("/") if configured else None


def join_line(workshop: Workshop, base: str | None) -> str:
    if base:
        return _("Take part: {link} (code {code})").format(
            link=f"{base}/participate?code={quote(workshop.code)}", code=workshop.code
        )
    return _("Take part with the code {code} on Cocreate.").format(code=workshop.code)


def _when(workshop: Workshop, at: datetime) -> str:
    return f"{i18n.format_weekday_time(timezones.to_local(at, workshop.time_zone))} ({workshop.time_zone})"


def opened(workshop: Workshop, phase: Phase, base: str | None) -> str:
    """The post of `phase` opening: what to do, until when, where to take part."""
    with i18n.using(workshop.language):
        if phase is Phase.CLOSED:
            return _("“{title}” has closed. Thank you to everyone who took part!").format(
                title=workshop.title
            )
        lines = [_("“{title}”: {phase} is open.").format(title=workshop.title, phase=phase.label)]
        if phase in _WHAT_TO_DO:
            lines.append(_(_WHAT_TO_DO[phase]))
        following = phase.next()
        closes = dict(workshop.schedule).get(following) if workshop.scheduled and following else None
        if closes is not None:
            lines.append(_("Open until {when}.").format(when=_when(workshop, closes)))
        lines.append(join_line(workshop, base))
        return "\n".join(lines)


def results(store: Store, workshop: Workshop, base: str | None) -> str:
    """The post of the results: the top needs by dots, and Review's address for leaders."""
    with i18n.using(workshop.language):
        ranked = analytics.needs_ranking(store, workshop.id).head(TOP_NEEDS)
        lines = [
            _("The results of “{title}” are ready. The needs the room chose:").format(title=workshop.title)
        ]
        for place, (text, dots) in enumerate(zip(ranked["text"], ranked["dots"], strict=True), start=1):
            lines.append(
                _("{place}. {need} ({dots})").format(
                    place=place,
                    need=text,
                    dots=ngettext("{n} dot", "{n} dots", int(dots)).format(n=i18n.format_number(int(dots))),
                )
            )
        if base:
            lines.append(
                _("Leaders: the session's summary is on Review, {link}").format(link=f"{base}/review")
            )
        return "\n".join(lines)


def on_move(store: Store, workshop: Workshop, to_phase: Phase) -> list[tuple[str, str]]:
    """The posts a move of `workshop` to `to_phase` makes (kind, text): none without a webhook."""
    if not store.webhook(workshop.id):
        return []
    base = public_url()
    posts = [("opened", opened(workshop, to_phase, base))]
    if to_phase is Phase.RESULTS:
        posts.append(("results", results(store, workshop, base)))
    return posts


def reminder(workshop: Workshop, base: str | None) -> str:
    """A day before the open phase closes: who has not taken part yet still can."""
    opening = workshop.next_opening()
    assert opening is not None
    with i18n.using(workshop.language):
        lines = [
            _("“{title}”: {phase} closes {when}.").format(
                title=workshop.title, phase=workshop.phase.label, when=_when(workshop, opening[1])
            ),
            _("If you have not taken part yet, there is still time."),
            join_line(workshop, base),
        ]
        return "\n".join(lines)


def remind(store: Store, workshop: Workshop, now: datetime) -> bool:
    """Queue the day-before reminder of the workshop's open phase when it is due (the phase
    closes within REMIND_BEFORE and was open at least REMIND_IF_OPEN); True when queued now."""
    opening = workshop.next_opening()
    opened_at = workshop.opens_at(workshop.phase)
    if opening is None or opened_at is None or workshop.phase is Phase.LOBBY:
        return False
    closes = opening[1]
    if not (closes - REMIND_BEFORE <= now < closes) or closes - opened_at < REMIND_IF_OPEN:
        return False
    what = f"closing:{workshop.phase.value}:{closes.isoformat()}"
    return store.queue_post(workshop.id, what, reminder(workshop, public_url()))


def ready_text(workshop: Workshop, link: str, now: datetime) -> str:
    """A reminder the facilitator pastes into the organisation's chat: what is open, until
    when, and the link, in the workshop's language."""
    with i18n.using(workshop.language):
        lines = [_("“{title}”: {phase} is open.").format(title=workshop.title, phase=workshop.phase.label)]
        if workshop.phase in _WHAT_TO_DO:
            lines.append(_(_WHAT_TO_DO[workshop.phase]))
        opening = workshop.next_opening()
        if opening is not None and opening[1] > now:
            lines.append(_("Open until {when}.").format(when=_when(workshop, opening[1])))
        lines.append(_("Take part: {link} (code {code})").format(link=link, code=workshop.code))
        return "\n".join(lines)


def checked_webhook(url: str) -> str | None:
    """A chat's incoming-webhook address as typed (blank: none); InvalidSetting when it is
    not an http(s) address."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 2000:
        raise InvalidSetting(
            _(
                "That is not a webhook address. Paste the incoming webhook's https:// address your chat gave you."
            )
        )
    return url


def masked(url: str) -> str:
    """A webhook address as Facilitate shows it: its host and the last four characters."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}"


def send(url: str, text: str) -> None:
    """Post `text` to the chat; raises OSError (urllib's errors among them) when the chat
    does not take it."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Cocreate"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 (http and https only: checked_webhook)
        answer.read(1024)


def retry_in(attempts: int) -> timedelta | None:
    """How long to wait before trying a post again after `attempts` failures: 5 s, doubled
    each time up to an hour; None after MAX_ATTEMPTS (given up)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return min(timedelta(seconds=5 * 2 ** (attempts - 1)), timedelta(hours=1))


def failure(exc: Exception) -> str:
    """What went wrong with a post, without the chat's answer (it may echo the address)."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return f"not reached ({type(exc.reason).__name__})"
    return type(exc).__name__
