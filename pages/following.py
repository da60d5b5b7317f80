"""Participants' screens follow the room's phase without waiting for their own check.

Every open participant page also checks the room on a timer (an `st.fragment` with
`run_every`): every 2 s in a small room, less often in a big one, so as not to crowd out
what people do. When that check was all there was, a new phase reached a screen up to one
interval late (6 s in a room of 300), on top of the time the redraws themselves take.

Now one thread per process watches the phase of every workshop that has participant
pages open in the process, twice a second. When the facilitator moves the room (in this
process or another one sharing the database), the thread asks Streamlit to run those
pages again, the way Streamlit itself reruns a page whose script file changed: the
server sends the new page over the tab's open connection. These redraws take their
turns after clicks (pages/tuning.py). The tab's own check stays, for the timer, the
offer of new items, and as a safety net.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Protocol

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from pages import tuning

CHECK_EVERY = 0.5  # seconds between two looks at the phase of the watched workshops


ASKED, BUSY, GONE = "asked", "busy", "gone"  # what asking a session to redraw came to


class Sessions(Protocol):
    def redraw(self, session_id: str) -> str:
        """Run the session's page again, as a redraw (ASKED). BUSY: a page run of the
        session is under way or waiting for its turn (it may be the redraw already, asked
        for by the page's own check); GONE: the tab was closed."""

    def alive(self, session_id: str) -> bool:
        """Whether the session still has a tab connected."""


class Followers:
    """The pages showing each workshop, with what each page shows of it (its phase), and
    the redraws asked for when the workshop moves on.

    `now_showing(workshop_id)` says what a page drawn now would show (None: the workshop
    is gone, which a redraw shows too). A thread looks every `check_every` seconds from
    the first page on (None: no thread; `check` looks once).
    """

    def __init__(
        self,
        now_showing: Callable[[int], Hashable | None],
        sessions: Sessions,
        check_every: float | None = CHECK_EVERY,
    ) -> None:
        self._now_showing, self._sessions, self._check_every = now_showing, sessions, check_every
        self._shown: dict[int, dict[str, Hashable]] = {}  # workshop -> session -> what it shows
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._swept = time.monotonic()

    def follow(self, workshop_id: int, session_id: str, shown: Hashable) -> None:
        """The session's page now shows `shown` of the workshop (and no other workshop)."""
        with self._lock:
            for sessions in self._shown.values():
                sessions.pop(session_id, None)  # a tab may change link
            self._shown.setdefault(workshop_id, {})[session_id] = shown
            if self._thread is None and self._check_every is not None:
                self._thread = threading.Thread(target=self._watch, name="cocreate-followers", daemon=True)
                self._thread.start()

    def following(self, workshop_id: int) -> dict[str, Hashable]:
        with self._lock:
            return dict(self._shown.get(workshop_id, {}))

    def check(self) -> int:
        """One look at every watched workshop: redraw the pages that show an old phase.
        Returns how many redraws were asked for. (Asking only schedules the run, so the
        pages' own registrations wait for no more than this look.)"""
        sweep = time.monotonic() - self._swept > 60  # once a minute, forget tabs that were closed
        if sweep:
            self._swept = time.monotonic()
        asked = 0
        with self._lock:
            for workshop_id, sessions in list(self._shown.items()):
                now = self._now_showing(workshop_id)
                for session_id, shown in list(sessions.items()):
                    if shown != now:
                        answer = self._sessions.redraw(session_id)
                        if answer == ASKED:
                            asked += 1
                            sessions[session_id] = now  # asked once; its redraw says what it shows
                        elif answer == GONE:
                            del sessions[session_id]
                        # BUSY: look again next time, unless that run says it shows the new phase
                    elif sweep and not self._sessions.alive(session_id):
                        del sessions[session_id]
                if not sessions:
                    del self._shown[workshop_id]
        return asked

    def _watch(self) -> None:
        while True:
            time.sleep(self._check_every)
            try:
                self.check()
            except Exception:  # noqa: BLE001 - the tabs' own checks still follow the room
                time.sleep(5)


class StreamlitSessions:
    """The sessions of the Streamlit server this process runs."""

    @staticmethod
    def _session(session_id: str):
        if not Runtime.exists():
            return None
        info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
        return None if info is None else info.session

    def alive(self, session_id: str) -> bool:
        return self._session(session_id) is not None

    def redraw(self, session_id: str) -> str:
        session = self._session(session_id)
        if session is None:
            return GONE
        if session._scriptrunner is not None:
            # Asking now would stop that run (a click's, say) and start the redraw at the
            # back of the line; once it ends, the next look asks.
            return BUSY

        def rerun() -> None:
            last = session._client_state  # the page and link of its last run
            if last.page_script_hash and session._scriptrunner is None:
                tuning.next_run_of_session_is_redraw(session_id)
                session.request_rerun(last)

        Runtime.instance()._get_async_objs().eventloop.call_soon_threadsafe(rerun)
        return ASKED


def follow(followers: Followers, workshop_id: int, shown: Hashable) -> None:
    """Called by a participant page's run: redraw this tab when the workshop moves on."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        followers.follow(workshop_id, ctx.session_id, shown)
