"""The projector's screen, drawn in the browser from the workshop's view and kept live by
its stream (`GET api/present/events`): the Present page runs once."""

from __future__ import annotations

from ui import join_url, qr_data_uri
from ui.components import component
from web import paths
from web.projector import plotly_version
from workshop.i18n import _

KEY = "projector"
CHECK_SECONDS = 3.0  # how often a projector without its stream asks for the screen
_component = component(
    KEY,
    js=("participant/events.js", "projector.js"),
    css=("projector.css",),
    html='<div class="cc-screen"></div>',
    isolate_styles=False,
)


def draw(view: str, seconds_left: int | None, code: str, token: str) -> None:
    """Draw the screen from `view` (screens.projector_view) and follow the workshop with the
    presenter link's `token`. The join link and its QR code for the workshop's `code` are
    made here, in the page run: the address this browser used, which the shared view
    cannot know."""
    join = join_url(code)
    data = {
        "view": view,
        "ends_in": seconds_left,
        "join_url": join,
        "qr": qr_data_uri(join),
        "url": paths.relative(paths.PRESENT),
        "events": paths.relative(paths.PRESENT_EVENTS),
        "plotly": f"{paths.relative(paths.PLOTLY_JS)}?v={plotly_version()}",
        "header": paths.PRESENTER_HEADER,
        "token": token,
        "every": CHECK_SECONDS,
        "text": {
            "no_charts": _("The charts could not be loaded. Reload the page to try again."),
            "newest_needs": _("Newest needs"),
            "help": _("Who can help whom"),
            "qr": _("QR code to join: {url}"),
            "time_left": _("Time left"),
            "join_with": _("Join with code"),
            "open": _("Open"),
            "page_of": _("Page {page} of {count}"),
            "held": _("held by the facilitator"),
            "held_here": _("held on this screen"),
            "turns": _("turns every {seconds} s"),
            "pause": _("Pause"),
            "resume": _("Turn the pages again"),
            "phase": _("Phase: {label}"),
            "time_up": _("Time is up"),
        },
    }
    _component(key=KEY, data=data, width="stretch")
