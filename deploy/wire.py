"""A browser tab without the browser: Streamlit's websocket protocol, spoken from Python,
and what the participant page's components send to the routes beside it. The load test
(bench/load.py) and the server tests (tests/integration) act as browsers with it.

A `Tab` connects to `/_stcore/stream` the way Streamlit's frontend does, asks for a page
with a query string, keeps the elements the server sends (by their delta path, replacing
them on each full run, patching them on fragment runs), finds widgets by the key the page
gave them, and sends widget values and clicks back as `BackMsg.rerun_script`. It also
reruns the page's `st.fragment(run_every=…)` fragments when asked, as an open tab does,
sends what a custom component's script sends (`trigger`), makes the plain HTTP requests a
page's scripts make (`get`), and tells the server which large messages it already holds
(the browser's message cache).

Written against the protocol of streamlit==1.67.0 (pinned in requirements.txt): widget ids
are `$$ID-<hash>-<key>`, a script run ends with `script_finished`, query parameters set by
the page come back as `page_info_changed`, `auto_rerun` announces a fragment's interval,
and a custom component's events arrive as one `json_trigger_value`, a list of
`{"event", "value"}`, on the widget `$$STREAMLIT_INTERNAL_KEY_<component id>__events`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx2
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from web import paths

FINISHED_OK = 0  # ScriptFinished.FINISHED_SUCCESSFULLY
FINISHED_EARLY_FOR_RERUN = 2  # st.rerun / st.switch_page: another run follows
FINISHED_FRAGMENT_OK = 3  # ScriptFinished.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

# Seconds a kept-alive connection may idle before a request opens a new one (uvicorn closes it at 5).
KEPT_ALIVE_SAFE = 2.0
TEXT_FIELDS = ("body", "label", "value", "placeholder")


# A simulated room joins from this machine's one address, as a room behind one network
# address translation does: the server it talks to lets that address join as often.
ONE_ADDRESS_ROOM = {"COCREATE_JOINS_PER_ADDRESS": "1000000"}


class PageError(Exception):
    """The page raised an exception, or the server closed the connection."""


@dataclass
class Screen:
    """What a tab shows after its last run: elements by delta path."""

    elements: dict[tuple[int, ...], tuple[str, Any]] = field(default_factory=dict)
    fragment_of: dict[tuple[int, ...], str] = field(default_factory=dict)  # path -> fragment id

    def widget(self, key: str) -> tuple[str, Any] | None:
        """The (kind, proto) of the widget the page created with `key=key`."""
        found = self._find(key)
        return None if found is None else self.elements[found]

    def _find(self, key: str) -> tuple[int, ...] | None:
        for path, (_, proto) in self.elements.items():
            widget_id = getattr(proto, "id", "")
            if widget_id.startswith("$$ID-") and widget_id.split("-", 2)[2] == key:
                return path
        return None

    def fragment_roots(self, fragment_ids: list[str]) -> list[tuple[int, ...]]:
        """The container paths of these fragments: the shortest path each one drew."""
        roots = []
        for fragment_id in fragment_ids:
            paths = [p for p, f in self.fragment_of.items() if f == fragment_id]
            if paths:
                roots.append(min(paths, key=len))
        return roots

    def fragment(self, key: str) -> str:
        """The fragment the widget `key` belongs to ("" outside fragments)."""
        path = self._find(key)
        return self.fragment_of.get(path, "") if path is not None else ""

    def keys(self, prefix: str = "") -> list[str]:
        found = []
        for _, proto in self.elements.values():
            widget_id = getattr(proto, "id", "")
            if widget_id.startswith("$$ID-"):
                key = widget_id.split("-", 2)[2]
                if key.startswith(prefix):
                    found.append(key)
        return found

    def component_data(self, key: str) -> Any:
        """The data the page gave the custom component `key` (st.components.v2), or None."""
        found = self.widget(key)
        if found is None or found[0] != "bidi_component":
            return None
        proto = found[1]
        kind = proto.WhichOneof("data")
        if kind == "json":
            return json.loads(proto.json)
        if kind == "mixed":
            return json.loads(proto.mixed.json)
        return None

    def texts(self) -> list[str]:
        out = []
        for path in sorted(self.elements):
            _, proto = self.elements[path]
            for name in TEXT_FIELDS:
                value = getattr(proto, name, None)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def text(self) -> str:
        return "\n".join(self.texts())

    def of_kind(self, kind: str) -> list[Any]:
        return [proto for path, (k, proto) in sorted(self.elements.items()) if k == kind]

    def exceptions(self) -> list[str]:
        return [f"{p.type}: {p.message}" for p in self.of_kind("exception")]


class Tab:
    """One open browser tab on one page of the app."""

    def __init__(
        self,
        base_url: str,
        page: str,
        query: str = "",
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.ws_url = base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/")
        self.ws_url += "/_stcore/stream"
        self.page = page
        self.query = query
        self.joined = ""  # the token the participant's app joined with (join_request)
        self.timeout = timeout
        self.headers = headers or {}  # sent with the websocket's handshake (X-Forwarded-For …)
        self.screen = Screen()
        self.fragments: dict[str, float] = {}  # fragment id -> interval in seconds
        self.page_script_hash = ""
        self._ws: Any = None
        self._cache: dict[str, ForwardMsg] = {}
        self.runs = 0
        # The last exchange's runs, each as the fragments it ran ([]: the whole page).
        self.last_runs: list[list[str]] = []
        self.base_url = base_url.rstrip("/")
        self._http: httpx2.AsyncClient | None = None  # the page's scripts' kept-alive connection

    async def open(self) -> Screen:
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            additional_headers=self.headers,
        )
        return await self._run(self._rerun_msg({}))

    async def close(self) -> None:
        await self._close_http()
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> Tab:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- interactions ------------------------------------------------------------------

    async def click(self, key: str, **values: Any) -> Screen:
        """Set the widgets named in `values` (by key) and press the button `key`."""
        states = {self._id(k): v for k, v in values.items()}
        states[self._id(key)] = _Trigger()
        # A widget inside an st.fragment reruns only that fragment, as in the browser.
        return await self._run(self._rerun_msg(states, fragment_id=self.screen.fragment(key), auto=False))

    async def trigger(self, key: str, event: str, value: Any) -> Screen:
        """What a custom component's `setTriggerValue(event, value)` sends: its fragment reruns."""
        states = {
            f"$$STREAMLIT_INTERNAL_KEY_{self._id(key)}__events": _Json([{"event": event, "value": value}])
        }
        return await self._run(self._rerun_msg(states, fragment_id=self.screen.fragment(key), auto=False))

    async def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """A plain HTTP GET on the tab's server, as the page's own scripts make (one kept-alive
        connection per tab, like a browser's); returns the status code and the JSON body."""
        return await self.request("GET", path, headers)

    async def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """A POST of `body` as JSON on the tab's server, as the page's own scripts make."""
        return await self.request("POST", path, headers, json.dumps(body).encode())

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> tuple[int, Any]:
        """One request on the tab's kept-alive connection (httpx). The connection is let go
        after KEPT_ALIVE_SAFE idle seconds, before the server would close it; a GET the server
        did not answer is sent once more, a POST never twice (the server may have acted on it)."""
        sent = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in (1, 2):
            try:
                answer = await self._client().request(
                    method, path, headers={**sent, **(headers or {})}, content=body
                )
            except (httpx2.RemoteProtocolError, httpx2.ReadError):
                if attempt == 2 or method not in ("GET", "HEAD"):
                    raise
                continue
            return answer.status_code, answer.json() if answer.content else None
        raise AssertionError("unreachable")

    def _client(self) -> httpx2.AsyncClient:
        if self._http is None:
            self._http = httpx2.AsyncClient(
                base_url=self.base_url,
                # One connection, as a browser tab keeps to its server, let go before uvicorn's
                # five idle seconds; no proxy from the environment: the server is local.
                limits=httpx2.Limits(max_connections=1, keepalive_expiry=KEPT_ALIVE_SAFE),
                timeout=self.timeout,
                trust_env=False,
                verify=_tls(),
                # As every browser asks: the server compresses what it answers as it would for one.
                headers={"Accept": "application/json", "Accept-Encoding": "gzip"},
            )
        return self._http

    async def events(
        self, path: str, headers: dict[str, str] | None = None
    ) -> AsyncIterator[tuple[int, Any]]:
        """A stream of server-sent events read as a page's script reads it, on a connection
        of its own: (200, the JSON of each `data:` block) as they come, until the server
        ends the stream; an answer that is not a stream is yielded once as (code, its JSON)."""
        asked = {"Accept": "text/event-stream", "Accept-Encoding": "gzip", **(headers or {})}
        # Events come when the room moves: a stream waits for them as long as it is open.
        waits = httpx2.Timeout(self.timeout, read=None)
        async with httpx2.AsyncClient(
            base_url=self.base_url, timeout=waits, trust_env=False, verify=_tls()
        ) as client:
            try:
                async with client.stream("GET", path, headers=asked) as answer:
                    if not answer.headers.get("content-type", "").startswith("text/event-stream"):
                        body = await answer.aread()
                        yield answer.status_code, json.loads(body) if body else None
                        return
                    async for line in answer.aiter_lines():
                        if line.startswith("data: "):
                            yield answer.status_code, json.loads(line[6:])
            except httpx2.TransportError:
                return  # the server went away: the stream has ended

    async def _close_http(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def set(self, **values: Any) -> Screen:
        """Change widgets (a selectbox, a checkbox) outside a form: the page reruns."""
        return await self._run(self._rerun_msg({self._id(k): v for k, v in values.items()}))

    async def poll(self) -> Screen:
        """Rerun every fragment the page registered with run_every, once, as the browser's timers do."""
        ran = []
        for fragment_id in list(self.fragments):
            msg = self._rerun_msg({}, fragment_id=fragment_id)
            await self._run(msg)
            ran += self.last_runs
        self.last_runs = ran
        return self.screen

    async def reload(self) -> Screen:
        """A full run of the page with the current link (what a reload asks for)."""
        return await self._run(self._rerun_msg({}))

    # -- protocol ----------------------------------------------------------------------

    def _id(self, key: str) -> str:
        found = self.screen.widget(key)
        if found is None:
            raise KeyError(f"no widget with key {key!r} on {self.page}; keys: {self.screen.keys()}")
        return found[1].id

    def _rerun_msg(self, states: dict[str, Any], fragment_id: str = "", auto: bool = True) -> BackMsg:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_name = self.page
        rerun.page_script_hash = self.page_script_hash
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = auto
        rerun.cached_message_hashes.extend(self._cache)
        rerun.context_info.timezone = "UTC"
        rerun.context_info.locale = "en-GB"
        for widget_id, value in states.items():
            state = rerun.widget_states.widgets.add()
            state.id = widget_id
            if isinstance(value, _Trigger):
                state.trigger_value = True
            elif isinstance(value, _Json):
                state.json_trigger_value = json.dumps(value.value)
            elif isinstance(value, bool):
                state.bool_value = value
            elif isinstance(value, int):
                state.int_value = value
            elif isinstance(value, float):
                state.double_value = value
            else:
                state.string_value = str(value)
        return msg

    async def _run(self, msg: BackMsg) -> Screen:
        ran: list[str] = []  # fragments this run reruns, as the server announces them (none: the page)
        self.last_runs = []
        await self._ws.send(msg.SerializeToString())
        fresh: dict[tuple[int, ...], tuple[str, Any]] = {}
        owners: dict[tuple[int, ...], str] = {}
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PageError(f"{self.page}: no end of run within {self.timeout:.0f} s")
            try:
                raw = await asyncio.wait_for(self._ws.recv(), remaining)
            except websockets.ConnectionClosed as exc:
                raise PageError(f"{self.page}: connection closed ({exc})") from exc
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "ref_hash":
                cached = self._cache.get(forward.ref_hash)
                if cached is None:
                    raise PageError(f"{self.page}: server referred to a message this tab never got")
                path = tuple(forward.metadata.delta_path)
                forward = cached
                kind = "delta"
            else:
                path = tuple(forward.metadata.delta_path)
                if forward.metadata.cacheable and forward.hash:
                    self._cache[forward.hash] = forward
            if kind == "new_session":
                fresh, owners = {}, {}
                ran = list(forward.metadata.run.fragment_ids)
                self.last_runs.append(ran)
                if not ran:
                    self.fragments.clear()  # a page run announces its timed fragments again
            elif kind == "navigation":
                self.page_script_hash = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragments[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                self.fragments.clear()
            elif kind == "delta":
                delta = forward.delta
                if delta.fragment_id:
                    owners[path] = delta.fragment_id
                if delta.WhichOneof("type") == "new_element":
                    element = delta.new_element
                    element_kind = element.WhichOneof("type")
                    fresh[path] = (element_kind, getattr(element, element_kind))
                else:
                    fresh[path] = ("block", None)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == FINISHED_EARLY_FOR_RERUN:
                    # The page asked for another run (st.rerun, a link change): that run follows.
                    fresh, owners = {}, {}
                    ran = []
                    continue
                if ran:
                    # What the fragments drew before (anything under their containers) and
                    # did not draw again is gone. A callback can rerun other fragments
                    # than the clicked widget's own (`st.rerun([keys])`).
                    roots = self.screen.fragment_roots(ran)
                    kept = {
                        p: e
                        for p, e in self.screen.elements.items()
                        if not any(p[: len(r)] == r for r in roots)
                    }
                    self.screen.elements = {**kept, **fresh}
                    self.screen.fragment_of = {
                        p: f
                        for p, f in {**self.screen.fragment_of, **owners}.items()
                        if p in self.screen.elements
                    }
                else:
                    self.screen = Screen(fresh, owners)
                self.runs += 1
                errors = Screen(fresh).exceptions()
                if errors:
                    raise PageError(f"{self.page}: {errors[0]}")
                return self.screen


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every tab's connections: a client building its own spends 30 ms
    of CPU on it, which a room of 300 tabs opening at once turns into seconds of latency."""
    return ssl.create_default_context()


class _Trigger:
    """A button press (trigger_value)."""


@dataclass
class _Json:
    """A custom component's trigger (json_trigger_value)."""

    value: Any


def run_sync(coroutine: Any) -> Any:
    """Run a coroutine to its end from synchronous code, in a thread of its own, so that it
    works even where an event loop is already running (Playwright's sync API keeps one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# The participant's app (ui/components/participant): one component, whose data holds the
# link's token and the routes it asks.
APP = "participant_app"


def _header(tab: Tab) -> dict[str, str]:
    data = tab.screen.component_data(APP)
    return {data["header"]: data["token"] or tab.joined}


async def join_request(tab: Tab, name: str | None, team: str | None) -> tuple[int, Any]:
    """What the app's join form does when "Join the workshop" is clicked: `POST api/join`
    with the workshop's code; the answer's token then goes into the tab's link (`?t=`, what
    a reload opens) and into every request the app makes, without a page run."""
    data = tab.screen.component_data(APP)
    code, answer = await tab.post(paths.JOIN, {"code": data["join"]["code"], "name": name, "team": team})
    if code == 200:
        tab.joined = answer["token"]
        tab.query = f"t={tab.joined}"
    return code, answer


async def board_dot(tab: Tab, need_id: int, change: int) -> tuple[int, Any]:
    """What the app does when "Add a dot" (1) or "Take one back" (-1) is clicked:
    `POST api/dots` with the participant's token."""
    return await tab.post(paths.DOTS, {"need": need_id, "change": change}, _header(tab))


async def share_request(tab: Tab, theme_id: int, text: str) -> tuple[int, Any]:
    """What the app does when "Share" is clicked: `POST api/share`."""
    return await tab.post(paths.SHARE, {"do": "share", "theme": theme_id, "text": text}, _header(tab))


async def propose_request(tab: Tab, theme_id: int, text: str) -> tuple[int, Any]:
    """What the app does when "Propose" is clicked: `POST api/propose`."""
    return await tab.post(paths.PROPOSE, {"do": "propose", "theme": theme_id, "text": text}, _header(tab))


async def back_request(tab: Tab, need_id: int, backed: bool) -> tuple[int, Any]:
    """What the app does when "Me too" is clicked: `POST api/back`."""
    return await tab.post(paths.BACK, {"need": need_id, "backed": backed}, _header(tab))


async def card_request(tab: Tab, statement_id: int | None = None, kind: str = "pass") -> tuple[int, Any]:
    """What the app's card of others' statements does: answer a statement (`POST api/react`),
    or without one look for new statements (`GET api/react`)."""
    if statement_id is None:
        return await tab.get(paths.REACT, _header(tab))
    return await tab.post(paths.REACT, {"statement": statement_id, "kind": kind}, _header(tab))


async def view_request(tab: Tab, have: dict | None = None) -> tuple[int, Any]:
    """What the app asks for what the screen shows (`GET api/view`), holding the view `have`
    (its room's part is not sent again while its tag holds). The answer's room is the one
    held when the server sent none."""
    query = f"?have={have['tag']}" if have else ""
    code, view = await tab.get(paths.VIEW + query, _header(tab))
    if code == 200 and view["room"] is None and have:
        view["room"] = have["room"]
    return code, view


def room_moved(view: dict, status: dict) -> bool:
    """Whether the room's `status` shows the room moved since the app's `view` (follow.js):
    the phase, the reveal, or anything others added, answered or voted (the data version)."""
    workshop = view["room"]["workshop"]
    return (
        status["phase"] != workshop["phase"]
        or status["revealed"] != workshop["revealed"]
        or status["version"] > view["version"]
    )


async def check_room(tab: Tab, view: dict) -> tuple[int, Any, dict]:
    """What the app does on each tick without its stream: ask `/api/room`; when the room
    moved since `view`, ask for the view again. Returns the status code, the status and the
    view the app then shows."""
    code, status = await tab.get(paths.ROOM, _header(tab))
    if code == 200 and room_moved(view, status):
        asked, fresh = await view_request(tab, view)
        if asked == 200:
            return code, status, fresh
    return code, status, view
