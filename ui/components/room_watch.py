"""A participant's phase line, kept current by the tab itself: the phase, its timer and the
offer to show what others added since the page drew its lists. The component follows the
room's status stream (`GET api/room/events`) and asks for a run only when the room moved
(trigger "moved": a run of the whole page, as a redraw, see ui.streamlit_patches) or the
person asked to see the new items (trigger "show_new")."""

from __future__ import annotations

from collections.abc import Callable

from ui import streamlit_patches
from ui.components import component, plural
from web import paths
from workshop import i18n, views
from workshop.i18n import _
from workshop.model import Phase

KEY = "room_watch"
_component = component(
    KEY,
    js=("events.js", "room_watch.js"),
    css=("room_watch.css",),
    # The phase line and the offer of new items are live regions: a screen reader says a new
    # phase, and that others added statements or needs, without the person looking for it.
    html='<div class="cc-phase" role="status"></div><div aria-live="polite"><button type="button" hidden></button></div>',
)
streamlit_patches.trigger_redraws_page(KEY, "moved")


def draw(
    status: dict, kind: str | None, seen: int, joined: int, token: str, on_show_new: Callable[[], None]
) -> None:
    """Draw the phase line (`status`: views.room_status) and the offer to show new `kind`
    ("statements", "needs" or None), `seen` of them drawn already, in a room of `joined`
    people; follow the room's status with the participant's `token`."""
    data = {
        "url": paths.relative(paths.ROOM),
        "events": paths.relative(paths.ROOM_EVENTS),
        "header": paths.PARTICIPANT_HEADER,
        "token": token,
        "every": views.check_seconds(joined),
        "spread": views.spread_seconds(joined),
        "kind": kind,
        "seen": seen,
        "status": status,
        "language": i18n.current(),
        "text": {
            "time_up": _("Time is up"),
            "left": _("{time} left"),
            "phase": _("Phase: "),
            **plural("new_statements", "Show {n} new statement", "Show {n} new statements"),
            **plural("new_needs", "Show {n} new need", "Show {n} new needs"),
            **{f"phase_{phase.value}": phase.label for phase in Phase},
        },
    }
    _component(key=KEY, data=data, on_moved_change=lambda: None, on_show_new_change=on_show_new)
