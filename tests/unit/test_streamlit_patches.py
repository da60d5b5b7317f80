"""The adjustments to the runtime (ui/streamlit_patches.py), installed here as serve.py
installs them, and the app's pages made once for every session."""

import gc
import threading
import weakref

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
