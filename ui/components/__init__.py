"""The browser components the pages draw: the projector's screen (projector.py, its
JavaScript and CSS beside it, read once at import) and the participant's app
(participant/, ES modules the server hands out as files). A component draws the data a
page gives it and sends clicks to the routes in web/; its Python says what data it takes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


def _read(names: tuple[str, ...]) -> str:
    return "\n".join((HERE / name).read_text() for name in names)


def component(
    name: str,
    *,
    js: tuple[str, ...],
    css: tuple[str, ...] = (),
    html: str,
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
