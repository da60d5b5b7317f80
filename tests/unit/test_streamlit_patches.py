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


def test_the_app_navigation_patch_still_finds_what_it_sets():
    """app.py runs every page only while Streamlit does not take pages/ for an old-style
    multipage app: the flag the patch sets is where the pinned Streamlit reads it."""
    import inspect

    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    # Set only when nothing set it before; read to choose the old-style run.
    assert "if PagesManager.uses_pages_directory is None:" in inspect.getsource(pages_manager)
    assert "if PagesManager.uses_pages_directory:" in inspect.getsource(script_runner)
