"""Adjustments to Streamlit's runtime for big rooms, installed when the pages are imported.

Streamlit runs every session's page runs in one Python interpreter. When a phase change
makes every open tab of a room redraw at once, a hundred script threads take turns on the
GIL five milliseconds at a time, and a process-wide lock that each run takes becomes a
queue: the holder waits for the GIL while everybody else waits for the lock. Each change
below keeps Streamlit's behaviour and takes a lock only when there is work under it.
Written for the Streamlit version pinned in requirements.txt (tests/unit/test_tuning.py).
"""

from __future__ import annotations

import gc
from typing import Any

from streamlit import config as st_config
from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.dataframe_source_manager import _get_session_id as dataframe_session_id
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_manager import _get_session_id as media_session_id
from streamlit.runtime.pages_manager import PagesManager


def use_app_navigation() -> None:
    """Streamlit takes an app with a pages/ folder for an old-style multipage app until the
    entry point has called st.navigation once in the process: until then a tab opened on
    /participate runs that script without app.py, and Streamlit lists the folder and builds
    a page for every file on every run (about 8 % of the server's CPU under load). From the
    first page run on, app.py's navigation is used."""
    PagesManager.uses_pages_directory = False


def read_config_without_lock() -> None:
    """Streamlit reads a config option for every element a page run sends, each time under
    one process-wide lock (a room of 300 stood still for 12 s on it after a phase change).
    The options are parsed once at start and a read of a parsed option needs no lock, so
    reads go straight to the parsed options; anything else (not parsed yet, an unknown
    key) takes Streamlit's own path."""
    locked = st_config.get_option
    if getattr(locked, "without_lock", False):
        return

    def get_option(key: str) -> Any:
        options = st_config._config_options
        option = options.get(key) if options else None
        return locked(key) if option is None else option.value

    get_option.without_lock = True  # type: ignore[attr-defined]
    st_config.get_option = get_option


def session_files_locked_only_with_work() -> None:
    """At the start and end of every page run Streamlit drops the session's references to
    media files (images, downloads) and to lazily loaded dataframes, and removes those
    nobody references any more, each time under its manager's one lock. A participant's
    page has neither, and in a phase change's burst forty page runs at a time queued on
    these locks (a 12-second stall of the Vote phase at 300 people). Now a session that
    holds none drops nothing, and the removal runs only after something may have become
    orphaned: a session dropped its references, or something was added (which may replace
    another at the same place)."""
    _locked_only_with_work(MediaFileManager, "_files_by_session_and_coord", "remove_orphaned_files",
                           ("add", "add_deferred"), media_session_id)  # fmt: skip
    _locked_only_with_work(DataframeSourceManager, "_sources_by_session_and_coord", "remove_orphaned_sources",
                           ("register_source",), dataframe_session_id)  # fmt: skip


YOUNG_COLLECTION_EVERY = 50_000  # net new container objects between young collections (Python's default: 700)


def collect_garbage_in_bigger_steps() -> None:
    """Python's automatic garbage collector, left at its defaults, stopped the server for
    0.3-0.6 s every few seconds in a room of 300 (13 s of a 240-second workshop): with a
    young collection every 700 new objects, the objects of the page runs in flight at that
    moment were moved to the oldest generation, which then filled by a quarter every few
    seconds and was scanned whole, every session's state with it. Every page run leaves
    about a hundred objects in reference cycles (Streamlit's script runner and its thread),
    so collection stays on, in bigger young steps: a page run's objects are gone before a
    collection sees them, the oldest generation grows by what lives on, and a young
    collection stops the server for tens of milliseconds. What was imported by then (the
    libraries, a hundred thousand objects that live as long as the process) is frozen
    out of every collection."""
    if gc.get_threshold()[0] >= YOUNG_COLLECTION_EVERY:
        return
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 10)


def _locked_only_with_work(
    manager: type, refs: str, remove_name: str, adders: tuple[str, ...], session_id
) -> None:
    if getattr(manager, "locked_only_with_work", False):
        return
    clear, remove = manager.clear_session_refs, getattr(manager, remove_name)

    def clear_session_refs(self: Any, session: str | None = None, **kwargs: Any) -> None:
        session = session_id() if session is None else session
        if session in getattr(self, refs):  # only the session's own page runs add to its references
            clear(self, session, **kwargs)
            self._orphans_possible = True

    def remove_orphaned(self: Any) -> None:
        if getattr(self, "_orphans_possible", True):
            self._orphans_possible = False  # before removing: a drop meanwhile sets it again
            remove(self)

    def marking(add):
        def added(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = add(self, *args, **kwargs)
            self._orphans_possible = True
            return result

        return added

    manager.clear_session_refs = clear_session_refs
    setattr(manager, remove_name, remove_orphaned)
    for name in adders:
        setattr(manager, name, marking(getattr(manager, name)))
    manager.locked_only_with_work = True


use_app_navigation()
read_config_without_lock()
session_files_locked_only_with_work()
collect_garbage_in_bigger_steps()
