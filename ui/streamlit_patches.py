"""Adjustments to private parts of Streamlit's runtime for big rooms, installed by serve.py
(`install()`), never at import. Each is kept because a load test of 500 people measured it
saving at least 15 % of the server's CPU or of the 95th percentile (docs/capacity.md,
"Streamlit's runtime patches"); tests/unit/test_streamlit_patches.py fails when what they
touch changes in the pinned Streamlit.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx


def use_app_navigation() -> None:
    """Streamlit takes an app with a pages/ folder for an old-style multipage app, listing
    the folder and building a page for every file on page runs, until the entry point has
    called st.navigation; app.py always does, so the folder is never read."""
    PagesManager.uses_pages_directory = False


RUNS_AT_ONCE = 2  # page runs using the interpreter at once, beside the network thread
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
    """Page runs take turns, two at a time. Streamlit runs each session's page run in a
    thread of its own, all in one interpreter; when a move of the room makes every tab
    redraw at once, the thread that reads clicks and sends pages would wait its turn for
    the GIL among a hundred others. Page runs someone is waiting for go first; a redraw
    the room asked for (`next_run_is_redraw`) goes after them, or every other time once it
    has waited eight seconds; a run that waited too long goes ahead without a turn."""
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


def _give_back(ctx: ScriptRunContext) -> None:
    if getattr(ctx, "has_turn", False):
        ctx.has_turn = False
        _turns.give_back()


YOUNG_COLLECTION_EVERY = 50_000  # net new container objects between young collections (Python's default: 700)


def collect_garbage_in_bigger_steps() -> None:
    """The garbage collector in bigger young steps, with what was imported by then frozen
    out of it. At Python's default (a young collection every 700 new objects) the objects of
    the page runs in flight are promoted to the oldest generation, which fills quickly and
    is scanned whole with every session's state; page runs leave objects in reference
    cycles, so collection stays on, but a page run's objects are gone before it sees them."""
    if gc.get_threshold()[0] >= YOUNG_COLLECTION_EVERY:
        return
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 10)


PATCHES = {
    "app_navigation": use_app_navigation,
    "garbage_collection": collect_garbage_in_bigger_steps,
    "page_run_turns": page_runs_take_turns,
}


def install(names: tuple[str, ...] = tuple(PATCHES)) -> None:
    """Install the adjustments `names` (all of them by default) into this process's Streamlit."""
    for name in names:
        PATCHES[name]()
