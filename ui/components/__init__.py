"""The browser components the participant and projector pages draw. Each component's
JavaScript and CSS live in files beside its Python, read once at import: cards.js, cards.css
and writing.css hold what the participant's boards share, events.js the reading of a
stream of server-sent events. A component draws the data a page gives it and sends clicks
to the routes in web/; its Python says what data it takes and which triggers it sends."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import streamlit as st

from web import paths

HERE = Path(__file__).parent
CARDS_HTML = '<div class="cc-cards"></div>'


def _read(names: tuple[str, ...]) -> str:
    return "\n".join((HERE / name).read_text() for name in names)


def component(
    name: str,
    *,
    js: tuple[str, ...],
    css: tuple[str, ...] = (),
    html: str = CARDS_HTML,
    isolate_styles: bool = True,
):
    """Streamlit's mounting command for the component `name`, its JavaScript and CSS read
    from the files `js` and `css` (in that order) beside this module."""
    return st.components.v2.component(
        f"cocreate.{name}", html=html, css=_read(css) or None, js=_read(js), isolate_styles=isolate_styles
    )


def requesting(route: str, token: str, **data: Any) -> dict:
    """A participant component's data: `data`, and how it sends its requests (to `route`,
    with the participant's link `token`). `drawn` tells the component that the page drew it
    afresh, from what is stored."""
    return {
        "url": paths.relative(route),
        "header": paths.PARTICIPANT_HEADER,
        "token": token,
        "drawn": time.time_ns(),
        **data,
    }
