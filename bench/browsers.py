"""Real Chromium participants beside bench.load's simulated tabs: each opens the join link,
joins in the participant's app and then only follows the room, while a script in the page
notes when its phase line first shows each phase (the screen is drawn from the same view as
the phase line). What they saw is set beside the facilitator's clicks once the run is over,
so the drawn screens can be compared with the simulated tabs' figures."""

from __future__ import annotations

import math
import threading

# Notes, in the page's own clock (epoch milliseconds), when the phase line first shows each
# phase. The app draws inside its component's shadow root: the line is looked for there.
WATCH = """() => {
  window.__ccSeen = {};
  let line = null;
  const find = () => {
    for (const el of document.querySelectorAll("*")) {
      const found = el.shadowRoot && el.shadowRoot.querySelector("[data-board=room_watch] [role=status]");
      if (found) return found;
    }
    return null;
  };
  setInterval(() => {
    if (!line || !line.isConnected) line = find();
    const shown = line && /^Phase: (\\w+)/.exec(line.textContent);
    if (shown && !(shown[1] in window.__ccSeen)) window.__ccSeen[shown[1]] = Date.now();
  }, 20);
}"""
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every page here is a person's own screen in front of them: none is held back.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


class Browsers:
    """`count` Chromium participants on a thread of their own (Playwright's sync API), from
    `start()` to `stop()`; `seen` then holds, per person, the phase labels their screen
    showed with the epoch seconds it first did."""

    def __init__(self, url: str, code: str, count: int) -> None:
        self.url, self.code, self.count = url, code, count
        self.seen: list[dict[str, float]] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chromium participants", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                pages = []
                for number in range(self.count):
                    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                    page.goto(f"{self.url}/participate?code={self.code}")
                    form = page.locator("[data-board=join]")
                    form.get_by_label("Your name (optional)").fill(f"Chromium {number + 1}")
                    form.get_by_role("button", name="Join the workshop").click()
                    page.locator("[data-board=room_watch]").wait_for(timeout=60_000)
                    page.evaluate(WATCH)
                    pages.append(page)
                self._stop.wait()
                for page in pages:
                    self.seen.append({k: v / 1000 for k, v in page.evaluate("window.__ccSeen").items()})
                browser.close()
        except Exception as exc:  # reported with the figures: the simulated run goes on
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def new_phase_ms(self, clicks: list[tuple[str, float]]) -> dict[str, list[float]]:
        """Per phase moved to, from the facilitator's click (`clicks`: phase label and epoch
        seconds) to each Chromium screen that was in the room before it showing it."""
        reached: dict[str, list[float]] = {}
        for seen in self.seen:
            joined = min(seen.values(), default=math.inf)  # the first phase it showed
            for phase, clicked in clicks:
                shown = seen.get(phase)
                if shown is not None and joined < clicked:
                    reached.setdefault(phase, []).append((shown - clicked) * 1000)
        return reached
