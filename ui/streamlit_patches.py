"""Adjustments to the runtime Streamlit serves the app in, for big rooms, installed by
serve.py (`install()`), never at import. Each is kept because a load test of 500 people
measured it saving at least 15 % of the server's CPU or of the 95th percentile
(docs/capacity.md, "Streamlit's runtime patches"), or because the app does not run as it
is written without it (`app_navigation`); tests/unit/test_streamlit_patches.py fails when
what a patch touches changes in the pinned Streamlit.
"""

from __future__ import annotations

import gc

from streamlit.runtime.pages_manager import PagesManager


def use_app_navigation() -> None:
    """Streamlit takes an app with a pages/ folder for an old-style multipage app: until a
    page run has called st.navigation, it runs the folder's scripts itself, as pages of a
    menu of its own, and app.py (the navigation, the database check, the count of page
    runs) only for the root address. app.py always calls st.navigation, so the folder is
    never taken for one."""
    PagesManager.uses_pages_directory = False


YOUNG_COLLECTION_EVERY = 50_000  # net new container objects between young collections (Python's default: 700)


def collect_garbage_in_bigger_steps() -> None:
    """The garbage collector in bigger young steps, with what was imported by then frozen
    out of it. At Python's default (a young collection every 700 new objects) the objects of
    the requests and page runs in flight are promoted to the oldest generation, which fills
    quickly and is scanned whole with every session's state; page runs leave objects in
    reference cycles, so collection stays on, but a request's objects are gone before it
    sees them."""
    if gc.get_threshold()[0] >= YOUNG_COLLECTION_EVERY:
        return
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 10)


PATCHES = {
    "app_navigation": use_app_navigation,
    "garbage_collection": collect_garbage_in_bigger_steps,
}


def install(names: tuple[str, ...] = tuple(PATCHES)) -> None:
    """Install the adjustments `names` (all of them by default) into this process's Streamlit."""
    for name in names:
        PATCHES[name]()
