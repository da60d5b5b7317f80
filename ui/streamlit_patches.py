"""Adjustments to Streamlit's runtime for big rooms, installed by serve.py (`install()`).

Streamlit runs every session's page runs in one Python interpreter. When a phase change
makes every open tab of a room redraw at once, a hundred script threads take turns on the
GIL five milliseconds at a time, and a process-wide lock that each run takes becomes a
queue: the holder waits for the GIL while everybody else waits for the lock. The changes
below keep Streamlit's behaviour: locks taken only when there is work under them, page
runs taking turns, and the garbage collector working in bigger young steps.
Written for the Streamlit version pinned in requirements.txt (tests/unit/test_tuning.py).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import threading
import time
from collections import deque
from typing import Any

from streamlit import config as st_config
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.dataframe_source_manager import _get_session_id as dataframe_session_id
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_manager import _get_session_id as media_session_id
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx


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


def config_sections_indexed() -> None:
    """Every page run, a fragment's too, begins by telling the browser the theme: six config
    sections, each found by going through all of Streamlit's ~370 options under the config
    lock (about 0.6 ms of CPU per run on an idle machine). Now the options of each section
    are listed once per parse of the config files, and their values are read on each call,
    so a value set at run time still shows."""
    listed = st_config.get_options_for_section
    if getattr(listed, "indexed", False):
        return
    index: list = [None, {}]  # [the parsed options it was built from, section -> options]

    def get_options_for_section(section: str) -> dict[str, Any]:
        options = st_config._config_options
        if not options:
            return listed(section)
        if index[0] is not options:
            sections: dict[str, list] = {}
            for option in list(options.values()):
                sections.setdefault(option.section, []).append(option)
            index[1], index[0] = sections, options
        return {option.name: option.value for option in index[1].get(section, ())}

    get_options_for_section.indexed = True  # type: ignore[attr-defined]
    st_config.get_options_for_section = get_options_for_section


def session_files_locked_only_with_work() -> None:
    """At the start and end of every page run Streamlit drops the session's references to
    media files (images, downloads) and to lazily loaded dataframes, and removes those
    nobody references any more, each time under its manager's one lock. A participant's
    page has neither, and in a phase change's burst forty page runs at a time queued on
    these locks (a 12-second stall of the Vote phase at 300 people). Now a session that
    holds none drops nothing, and the removal runs only after something may have become
    orphaned: a session dropped its references, or something was added (which may replace
    another at the same place)."""
    _locked_only_with_work(
        MediaFileManager,
        "_files_by_session_and_coord",
        "remove_orphaned_files",
        ("add", "add_deferred"),
        media_session_id,
    )
    _locked_only_with_work(
        DataframeSourceManager,
        "_sources_by_session_and_coord",
        "remove_orphaned_sources",
        ("register_source",),
        dataframe_session_id,
    )


RUNS_AT_ONCE = 2  # page runs using the interpreter at once (with 3 the network thread fell 1 s behind)
# Seconds a page run waits for a turn before it goes ahead without one (a safety net: a
# stuck run must not stop the others). A room's redraws queue behind each other for as long
# as the whole burst takes; let through early, they would crowd the interpreter again.
AWAITED_RUN_WAITS_AT_MOST = 5.0
REDRAW_WAITS_AT_MOST = 60.0
REDRAWS_OVERTAKE_AFTER = 8.0  # seconds a redraw waits behind clicks before they alternate


class Turns:
    """Turns to run: at most `size` page runs at once. Page runs someone is waiting for (a
    click, a page opened, a screen's check) go before redraws nobody asked for. Once a
    redraw has waited `redraws_overtake_after` seconds, redraws and clicks take turns
    about, so a steady stream of clicks cannot keep a screen on the last phase."""

    def __init__(self, size: int, redraws_overtake_after: float, clock=time.monotonic) -> None:
        self._lock = threading.Lock()
        self._free = size
        self._overtake_after, self._clock = redraws_overtake_after, clock
        self._redraw_next = False
        self._awaited: deque[tuple[float, threading.Event]] = deque()
        self._redraws: deque[tuple[float, threading.Event]] = deque()

    def take(self, redraw: bool, timeout: float) -> bool:
        """Wait for a turn; False if none came within `timeout` (the run goes ahead anyway)."""
        queue = self._redraws if redraw else self._awaited
        with self._lock:
            if self._free > 0 and not self._awaited and not (redraw and self._redraws):
                self._free -= 1
                return True
            entry = (self._clock(), threading.Event())
            queue.append(entry)
        if entry[1].wait(timeout):
            return True
        with self._lock:
            try:
                queue.remove(entry)
            except ValueError:
                return True  # handed over just as the wait ended
        return False

    def give_back(self) -> None:
        with self._lock:
            overdue = bool(self._redraws) and self._clock() - self._redraws[0][0] >= self._overtake_after
            if overdue and self._awaited:
                self._redraw_next = not self._redraw_next  # one each, clicks and overdue redraws
            if self._redraws and (not self._awaited or (overdue and self._redraw_next)):
                self._redraws.popleft()[1].set()  # the turn passes straight to the next in line
            elif self._awaited:
                self._awaited.popleft()[1].set()
            else:
                self._free += 1

    def state(self) -> tuple[int, int, int]:
        """(free turns, page runs someone waits for in line, redraws in line)."""
        return self._free, len(self._awaited), len(self._redraws)


_turns = Turns(RUNS_AT_ONCE, REDRAWS_OVERTAKE_AFTER)


def page_runs_take_turns() -> None:
    """Streamlit runs each session's page run in a thread of its own, all in one
    interpreter, and the interpreter hands its lock (the GIL) to a waiting thread every
    5 ms. When a phase change makes a room of 300 redraw at once, a hundred threads wait
    for it, and the thread that reads clicks from the network and sends pages back is one
    of them: it waits its turn among the hundred each time it wakes, and every click
    waited seconds. Now a page run starts only when one of two turns is free, so the
    network thread shares the interpreter with two others and keeps pace (with three,
    it still fell a second behind in the bursts). Page runs someone is waiting for go
    first; a redraw the page asked for because the room moved on (`next_run_is_redraw`)
    goes after them, or every other time once it has waited eight seconds. A run that
    waited too long for a turn goes ahead without one, so nothing waits for ever."""
    if getattr(ScriptRunContext, "takes_turns", False):
        return
    reset, run_script = ScriptRunContext.reset, ScriptRunner._run_script

    def reset_in_turn(self: ScriptRunContext, *args: Any, **kwargs: Any) -> None:
        reset(self, *args, **kwargs)
        _give_back(self)  # a rerun within the same thread queues again
        redraw, self.next_run_is_redraw = getattr(self, "next_run_is_redraw", False), False
        self.has_turn = _turns.take(redraw, REDRAW_WAITS_AT_MOST if redraw else AWAITED_RUN_WAITS_AT_MOST)

    def run_script_then_give_back(
        self: ScriptRunner, rerun_data: RerunData, *args: Any, **kwargs: Any
    ) -> None:
        if rerun_data.fragment_id_queue and _redraws_page(rerun_data.widget_states):
            rerun_data = dataclasses.replace(
                rerun_data,
                fragment_id=None,
                fragment_id_queue=[],
                is_fragment_scoped_rerun=False,
                is_auto_rerun=False,
            )
            self._get_script_run_ctx().next_run_is_redraw = True
        try:
            run_script(self, rerun_data, *args, **kwargs)
        finally:
            ctx = get_script_run_ctx(suppress_warning=True)
            if ctx is not None:
                _give_back(ctx)

    ScriptRunContext.reset = reset_in_turn
    ScriptRunner._run_script = run_script_then_give_back
    ScriptRunContext.takes_turns = True


def next_run_is_redraw() -> None:
    """The page run that follows (st.rerun) redraws for the room's sake: it takes its
    turn after page runs someone is waiting for."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.next_run_is_redraw = True


# (component key, trigger event): the triggers whose run is a redraw of the whole page
_page_redraws: set[tuple[str, str]] = set()


def trigger_redraws_page(key: str, event: str) -> None:
    """The component `key`'s trigger `event` says that the room moved on: the run it asks
    for, of the fragment the component is in, runs the whole page instead, as a redraw
    (`next_run_is_redraw`). The fragment asking for it with st.rerun would cost a fragment
    run before each page run (a room of 300 redraws every page at each move)."""
    _page_redraws.add((key, event))


def _redraws_page(states: WidgetStates | None) -> bool:
    """Whether a run's widget states hold one of the triggers of `trigger_redraws_page`
    (a component's triggers come as one JSON list of events, on the widget
    `…-<key>__events`)."""
    if states is None or not _page_redraws:
        return False
    for state in states.widgets:
        if state.WhichOneof("value") != "json_trigger_value":
            continue
        events = [event for key, event in _page_redraws if state.id.endswith(f"-{key}__events")]
        if events:
            try:
                sent = json.loads(state.json_trigger_value)
            except ValueError:
                continue
            if isinstance(sent, list) and any(isinstance(e, dict) and e.get("event") in events for e in sent):
                return True
    return False


def _give_back(ctx: ScriptRunContext) -> None:
    if getattr(ctx, "has_turn", False):
        ctx.has_turn = False
        _turns.give_back()


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


PATCHES = {
    "app_navigation": use_app_navigation,
    "config_without_lock": read_config_without_lock,
    "config_sections_indexed": config_sections_indexed,
    "session_files": session_files_locked_only_with_work,
    "garbage_collection": collect_garbage_in_bigger_steps,
    "page_run_turns": page_runs_take_turns,
}


def install(names: tuple[str, ...] = tuple(PATCHES)) -> None:
    """Install the adjustments `names` (all of them by default) into this process's Streamlit."""
    for name in names:
        PATCHES[name]()
