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
from workshop import i18n
from workshop.i18n import _, ngettext

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
    from the files `js` and `css` (in that order) beside this module; text.js, the lookup
    of the words handed in (`data.text`), comes first."""
    return st.components.v2.component(
        f"cocreate.{name}",
        html=html,
        css=_read(css) or None,
        js=_read(("text.js", *js)),
        isolate_styles=isolate_styles,
    )


def plural(key: str, singular: str, plural_: str) -> dict[str, str]:
    """Both forms of a counted text for a component (`key_one`, `key_other`; cards.js `tn`).
    English and Finnish take the singular for 1 alone."""
    return {f"{key}_one": ngettext(singular, plural_, 1), f"{key}_other": ngettext(singular, plural_, 2)}


def common_text() -> dict[str, str]:
    """What every participant component may say (cards.js), in the language in force."""
    return {
        "unreachable": _("Cocreate could not be reached. Check your connection and try again."),
        "from_said": _("From what was said: {quotes}"),
        "save_changes": _("Save changes"),
        "cancel": _("Cancel"),
        "edit": _("Edit"),
        "withdraw": _("Withdraw"),
        **plural("backing", "{n} backing", "{n} backing"),
    }


def requesting(route: str, token: str, text: dict[str, str] | None = None, **data: Any) -> dict:
    """A participant component's data: `data`, its words (`text`, in the language in force,
    beside `common_text`), and how it sends its requests (to `route`, with the participant's
    link `token`, asking for answers in the same language). `drawn` tells the component that
    the page drew it afresh, from what is stored."""
    return {
        "url": paths.relative(route),
        "header": paths.PARTICIPANT_HEADER,
        "token": token,
        "language": i18n.current(),
        "drawn": time.time_ns(),
        "text": {**common_text(), **(text or {})},
        **data,
    }
