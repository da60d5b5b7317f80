"""The adjustments to Streamlit's runtime (ui/streamlit_patches.py), installed here as serve.py
installs them: the same answers, fewer locks."""

import gc
import threading
import time
import weakref

import pytest
from streamlit.testing.v1 import AppTest

import ui
from ui import streamlit_patches as tuning

tuning.install()


def test_garbage_is_collected_in_bigger_young_steps_and_cycles_still_go():
    """The libraries are frozen out of collections and young collections come less often;
    what page runs leave in reference cycles is still collected without anyone asking."""
    assert gc.isenabled()
    assert gc.get_threshold()[0] == tuning.YOUNG_COLLECTION_EVERY
    assert gc.get_freeze_count() > 10_000

    class Node:
        pass

    watched = []
    for number in range(4 * tuning.YOUNG_COLLECTION_EVERY):
        node = Node()
        node.me = node  # a cycle: only the collector can free it
        if number % 1000 == 0:
            watched.append(weakref.ref(node))
    del node
    still_there = sum(ref() is not None for ref in watched)
    assert still_there < len(watched) / 2


def until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the waiting page runs did not move"
        time.sleep(0.005)


def wait_in_line(turns: tuning.Turns, order: list[str], name: str, redraw: bool) -> threading.Thread:
    """A page run `name` waiting for a turn (in its own thread, as Streamlit runs them); once
    it is in line, returns. When it gets a turn, it adds its name to `order`."""
    in_line = sum(turns.state()[1:])
    waiter = threading.Thread(target=lambda: turns.take(redraw, timeout=5) and order.append(name))
    waiter.start()
    until(lambda: sum(turns.state()[1:]) > in_line)
    return waiter


def hand_on(turns: tuning.Turns, order: list[str]) -> None:
    """A page run ends: its turn goes to the next in line, who then runs."""
    ran = len(order)
    turns.give_back()
    until(lambda: len(order) > ran)


def test_a_few_page_runs_at_once_and_those_someone_waits_for_first():
    turns = tuning.Turns(2, redraws_overtake_after=60)
    assert turns.take(redraw=False, timeout=1) and turns.take(redraw=True, timeout=1)
    assert turns.take(redraw=False, timeout=0.05) is False  # both turns in use: it would go ahead alone
    order = []
    waiters = [wait_in_line(turns, order, "redraw", True), wait_in_line(turns, order, "click", False)]
    assert turns.state() == (0, 1, 1)
    hand_on(turns, order)
    assert order == ["click"]  # came later, went first
    hand_on(turns, order)
    for waiter in waiters:
        waiter.join(5)
    assert order == ["click", "redraw"]
    turns.give_back()
    turns.give_back()
    assert turns.state() == (2, 0, 0)


def test_a_redraw_that_waited_long_enough_goes_before_the_next_click():
    now = [100.0]
    turns = tuning.Turns(1, redraws_overtake_after=8, clock=lambda: now[0])
    assert turns.take(redraw=False, timeout=1)
    order = []
    waiters = [wait_in_line(turns, order, "redraw", True), wait_in_line(turns, order, "click", False)]
    now[0] += 9  # the redraw has waited nine seconds
    hand_on(turns, order)
    assert order == ["redraw"]
    hand_on(turns, order)
    for waiter in waiters:
        waiter.join(5)
    assert order == ["redraw", "click"]


def test_page_runs_give_their_turns_back_and_a_redraw_asked_for_queues_as_one(monkeypatch):
    taken = []

    class Recording(tuning.Turns):
        def take(self, redraw, timeout):
            taken.append(redraw)
            return super().take(redraw, timeout)

    turns = Recording(tuning.RUNS_AT_ONCE, tuning.REDRAWS_OVERTAKE_AFTER)
    monkeypatch.setattr(tuning, "_turns", turns)

    def page():
        import streamlit as st

        from ui import streamlit_patches as tuning

        st.session_state.runs = st.session_state.get("runs", 0) + 1
        if st.session_state.runs == 1:
            tuning.next_run_is_redraw()
            st.rerun()
        st.text(f"Drawn {st.session_state.runs} times")

    at = AppTest.from_function(page, default_timeout=30).run()
    assert at.text[0].value == "Drawn 2 times"
    at.run()
    assert at.text[0].value == "Drawn 3 times"
    assert taken == [False, True, False]
    assert turns.state() == (tuning.RUNS_AT_ONCE, 0, 0)


def test_overdue_redraws_and_clicks_take_turns_about():
    now = [0.0]
    turns = tuning.Turns(1, redraws_overtake_after=8, clock=lambda: now[0])
    assert turns.take(redraw=False, timeout=1)
    order = []
    waiters = [
        wait_in_line(turns, order, name, redraw)
        for name, redraw in (("redraw 1", True), ("redraw 2", True), ("click 1", False), ("click 2", False))
    ]
    now[0] = 9.0
    for _ in range(4):
        hand_on(turns, order)
    for waiter in waiters:
        waiter.join(5)
    assert order == ["redraw 1", "click 1", "redraw 2", "click 2"]


def test_the_apps_pages_made_by_two_first_runs_at_once_are_one_set_and_each_run_gets_copies(monkeypatch):
    monkeypatch.setattr(ui, "_pages", [])
    both_making = threading.Barrier(2)

    class Page:
        def __init__(self, name: str) -> None:
            self.name, self.callable = name, False

    def make() -> list[Page]:
        both_making.wait(5)
        return [Page("home"), Page("participate")]

    got: list[list[Page]] = []
    runs = [threading.Thread(target=lambda: got.append(ui.pages_made_once(make))) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(5)
    assert [[page.name for page in pages] for pages in got] == [["home", "participate"]] * 2
    got[0][0].callable = True  # what st.navigation marks on the page a run may call
    assert not got[1][0].callable and not ui.pages_made_once(make)[0].callable


# What each patch touches of Streamlit's private runtime, as the pinned version has it: a
# new Streamlit that renames or reshapes any of it fails here before a room notices.
INTERNALS = {
    "app_navigation": [("streamlit.runtime.pages_manager", "PagesManager", "uses_pages_directory")],
    "garbage_collection": [],
    "page_run_turns": [
        ("streamlit.runtime.scriptrunner_utils.script_run_context", "ScriptRunContext", "reset"),
        ("streamlit.runtime.scriptrunner", "ScriptRunner", "_run_script"),
        ("streamlit.runtime.scriptrunner", "ScriptRunner", "_get_script_run_ctx"),
    ],
}


@pytest.mark.parametrize("patch", list(tuning.PATCHES))
def test_what_each_patch_touches_is_still_where_it_was(patch):
    import importlib

    for module, owner, name in INTERNALS[patch]:
        found = importlib.import_module(module)
        if owner is not None:
            found = getattr(found, owner)
        assert hasattr(found, name), f"{patch}: {module}.{owner or ''}.{name} is gone"
    if patch == "page_run_turns":
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

        fields = {f.name for f in __import__("dataclasses").fields(RerunData)}
        assert "widget_states" in fields
