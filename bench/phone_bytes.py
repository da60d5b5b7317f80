"""What a participant's phone downloads: the first open of their link, and a return visit.

Starts the app on a temporary database holding the demo workshop in the Vote phase, opens
the first participant's link in Chromium on a phone-sized screen with an empty cache,
waits until the participant's app shows the room, then opens the link again in the same
browser (its cache kept), as a person coming back to the tab does. Chromium's own count of
the bytes each response took on the network (DevTools' encodedDataLength, headers
included) is summed by kind: Streamlit's own files, the participant app's files, the
app's JSON (the view, the room's status), the Streamlit page's websocket (the page's own
data: its messages, counted as frames), and everything else.

    python -m bench.phone_bytes

Prints one JSON object last: {"first": {kind: [requests, bytes]}, "return": {...}}.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path

from deploy.server import AppServer
from workshop import demo
from workshop.model import Phase
from workshop.store import Store

PHONE = {"width": 390, "height": 844}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def kind_of(url: str) -> str:
    if "/api/app/" in url:
        return "app files"
    if "/api/" in url:
        return "app JSON"
    if "/static/" in url or url.endswith((".js", ".css", ".woff2", ".svg", ".png", ".ico")):
        return "Streamlit files"
    if "/_stcore/stream" in url:
        return "page websocket"
    return "other"


def visit(page, cdp, url: str) -> dict[str, list[int]]:
    """Open `url` and wait until the app shows the room; each kind's requests and bytes on
    the network (what a cache answered costs nothing)."""
    kinds: dict[str, str] = {}
    cached: set[str] = set()
    spent: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def sent(event: dict) -> None:
        kinds[event["requestId"]] = kind_of(event["request"]["url"])

    def answered(event: dict) -> None:
        response = event["response"]
        if (
            response.get("fromDiskCache")
            or response.get("fromPrefetchCache")
            or response.get("fromServiceWorker")
        ):
            cached.add(event["requestId"])

    def cache_served(event: dict) -> None:
        cached.add(event["requestId"])

    def finished(event: dict) -> None:
        request = event["requestId"]
        if request in cached or request not in kinds:
            return
        spent[kinds[request]][0] += 1
        spent[kinds[request]][1] += int(event["encodedDataLength"])

    def frame(event: dict) -> None:
        # A binary frame (opcode 2, Streamlit's protobuf messages) comes base64-encoded.
        payload = event["response"]["payloadData"]
        spent["page websocket"][0] += 1
        spent["page websocket"][1] += (
            len(payload) * 3 // 4 if event["response"]["opcode"] == 2 else len(payload)
        )

    frame_sent = frame

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", answered)
    cdp.on("Network.requestServedFromCache", cache_served)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    cdp.on("Network.webSocketFrameSent", frame_sent)
    # Until the app shows the room and listens to it (its stream stays open: it is counted
    # when it ends, which is after this).
    with page.expect_request(lambda request: "/api/room/events" in request.url, timeout=30_000):
        page.goto(url)
        page.locator("[data-board=vote_board]").wait_for(timeout=30_000)
    for event, handler in (
        ("Network.requestWillBeSent", sent),
        ("Network.responseReceived", answered),
        ("Network.requestServedFromCache", cache_served),
        ("Network.loadingFinished", finished),
        ("Network.webSocketFrameReceived", frame),
        ("Network.webSocketFrameSent", frame_sent),
    ):
        cdp.remove_listener(event, handler)
    return dict(spent)


def run() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "phone.duckdb"
        store = Store(db)
        made = demo.create_demo(store, participants=30, until=Phase.VOTE)
        store.close()
        server = AppServer(db)
        server.start()
        try:
            url = f"{server.url}/participate?t={made.participants[0][1]}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                first = visit(page, cdp, url)
                again = context.new_page()  # the same browser, its cache kept
                page.close()
                cdp = context.new_cdp_session(again)
                cdp.send("Network.enable")
                back = visit(again, cdp, url)
                browser.close()
        finally:
            server.stop()
    return {"first": first, "return": back}


def main() -> None:
    figures = run()
    for visit_name, spent in figures.items():
        total = sum(b for _, b in spent.values())
        print(f"{visit_name} visit: {total / 1024:.1f} KB")
        for kind, (requests, size) in sorted(spent.items()):
            print(f"  {kind:16} {requests:3} requests {size / 1024:8.1f} KB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
