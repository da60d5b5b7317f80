"""A participant's phase line, kept current by the tab itself: the phase, its timer and the
offer to show what others added since the page drew its lists. The component follows the
room's status stream (`GET api/room/events`) and asks for a run only when the room moved
(trigger "moved": a run of the whole page, as a redraw, see ui.streamlit_patches) or the
person asked to see the new items (trigger "show_new")."""

from __future__ import annotations

from collections.abc import Callable

from ui import streamlit_patches
from ui.components import component
from web import paths
from workshop import views

KEY = "room_watch"
_component = component(
    KEY,
    js=("events.js", "room_watch.js"),
    css=("room_watch.css",),
    html='<div class="cc-phase" role="status"></div><button type="button" hidden></button>',
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
    }
    _component(key=KEY, data=data, on_moved_change=lambda: None, on_show_new_change=on_show_new)
