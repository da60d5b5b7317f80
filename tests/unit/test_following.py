"""Which open pages the server redraws when the room moves on (pages/following.py)."""

from pages import following, ui
from tests.conftest import make_room
from workshop import actions
from workshop.model import Phase


class Tabs:
    """The server's sessions as the watcher sees them: which are connected, and the redraws asked."""

    def __init__(self, *connected: str) -> None:
        self.connected = set(connected)
        self.running: set[str] = set()  # sessions with a page run under way
        self.redrawn: list[str] = []

    def alive(self, session_id: str) -> bool:
        return session_id in self.connected

    def redraw(self, session_id: str) -> str:
        if session_id not in self.connected:
            return following.GONE
        if session_id in self.running:
            return following.BUSY
        self.redrawn.append(session_id)
        return following.ASKED


def watching(store, tabs: Tabs) -> following.Followers:
    def now_showing(workshop_id: int):
        workshop = store.workshop(workshop_id)
        return None if workshop is None else ui.room_view(workshop)

    return following.Followers(now_showing, tabs, check_every=None)


def test_pages_on_the_old_phase_are_redrawn_once_when_the_room_moves_on(store):
    room = make_room(store, participants=0)
    tabs = Tabs("a", "b", "c")
    followers = watching(store, tabs)
    lobby = ui.room_view(room.workshop)
    for session in ("a", "b", "c"):
        followers.follow(room.workshop.id, session, lobby)

    assert followers.check() == 0  # nothing moved: nobody is redrawn
    room.to(Phase.SHARE)
    followers.follow(room.workshop.id, "c", ui.room_view(store.workshop(room.workshop.id)))  # c redrew itself
    assert followers.check() == 2
    assert sorted(tabs.redrawn) == ["a", "b"]
    assert followers.check() == 0  # asked once, not on every look while the redraw waits its turn

    room.to(Phase.PROPOSE)
    assert followers.check() == 3
    assert sorted(tabs.redrawn) == ["a", "a", "b", "b", "c"]


def test_revealing_the_results_redraws_the_pages_too(store):
    room = make_room(store, participants=0)
    room.to(Phase.VOTE)
    tabs = Tabs("a")
    followers = watching(store, tabs)
    followers.follow(room.workshop.id, "a", ui.room_view(store.workshop(room.workshop.id)))
    actions.reveal_results(store, room.access)
    assert followers.check() == 1


def test_closed_tabs_are_forgotten_and_a_tab_follows_only_the_workshop_it_shows_last(store):
    first, second = make_room(store, participants=0), make_room(store, participants=0)
    tabs = Tabs("a", "b")
    followers = watching(store, tabs)
    followers.follow(first.workshop.id, "a", ui.room_view(first.workshop))
    followers.follow(first.workshop.id, "b", ui.room_view(first.workshop))
    followers.follow(second.workshop.id, "b", ui.room_view(second.workshop))  # b opened another link
    assert set(followers.following(first.workshop.id)) == {"a"}

    tabs.connected.discard("a")
    first.to(Phase.SHARE)
    assert followers.check() == 0  # a's tab was closed: nothing to redraw, and it is forgotten
    assert followers.following(first.workshop.id) == {}
    second.to(Phase.SHARE)
    assert followers.check() == 1 and tabs.redrawn == ["b"]


def test_a_page_run_under_way_is_not_stopped_the_page_is_redrawn_after_it_unless_it_moved_on(store):
    room = make_room(store, participants=0)
    tabs = Tabs("clicking", "polling")
    followers = watching(store, tabs)
    for session in ("clicking", "polling"):
        followers.follow(room.workshop.id, session, ui.room_view(room.workshop))
    tabs.running = {"clicking", "polling"}
    room.to(Phase.SHARE)
    assert followers.check() == 0 and tabs.redrawn == []

    # The polling tab's own check saw the new phase and redrew its page; the click ended.
    followers.follow(room.workshop.id, "polling", ui.room_view(store.workshop(room.workshop.id)))
    tabs.running = set()
    assert followers.check() == 1 and tabs.redrawn == ["clicking"]
