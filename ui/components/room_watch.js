// A participant's phase line: the phase, its timer, and "Show N new …" when others added
// statements or needs since the page drew its lists. It follows `GET api/room/events` (or,
// when no stream can be opened, asks `GET api/room` every few seconds) and asks the page
// for a run only when there is something to draw: the room moved, or the facilitator hid,
// showed or merged something ("moved", after a random wait of up to `spread` seconds, so
// that a big room's tabs do not all redraw at once), or the person asked for the new items
// ("show_new"). A hidden tab lets go of its stream.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const line = parentElement.querySelector(".cc-phase");
  const button = parentElement.querySelector("button");
  const watch = parentElement.__ccWatch || (parentElement.__ccWatch = {});
  const before = watch.status;  // the last status read before this page run drew the page
  watch.data = data;          // what the page drew (a new page run brings new data)
  watch.own = 0;              // what this person added since (a board's "cocreate:own" event)
  watch.status = null;        // the last status read since then
  watch.error = null;         // what the server said instead of a status (e.g. the workshop is gone)
  watch.askedAt = 0;          // when a rerun was asked for that has not come yet
  watch.since = Date.now();   // when the status shown arrived (its timer counts down from there)
  clearTimeout(watch.moving);  // a move the page now shows needs no rerun
  clearTimeout(watch.again);
  watch.moving = watch.again = null;

  const left = (seconds) => seconds <= 0 ? t(watch.data, "time_up")
    : t(watch.data, "left", { time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` });

  function draw() {
    const now = watch.status || watch.data.status;
    line.textContent = "";
    if (watch.error) {
      line.textContent = watch.error;
      button.hidden = true;
      return;
    }
    line.append(t(watch.data, "phase"));
    const bold = document.createElement("strong");
    bold.textContent = t(watch.data, `phase_${now.phase}`);
    line.append(bold);
    if (now.ends_in !== null) {
      const elapsed = Math.floor((Date.now() - watch.since) / 1000);
      line.append(` · ⏱ ${left(now.ends_in - elapsed)}`);
    }
    const kind = watch.data.kind;
    const fresh = kind && now.phase === watch.data.status.phase ? now[kind] - watch.data.seen - watch.own : 0;
    button.hidden = fresh <= 0;
    if (fresh > 0) {
      button.textContent = tn(watch.data, `new_${kind}`, fresh);
    }
  }

  function moved(status) {
    // Whether the page shows another room than `status`: the phase, the reveal, or what the
    // facilitator hid, showed or merged.
    const drawn = watch.data.status;
    return status.phase !== drawn.phase || status.revealed !== drawn.revealed
      || status.moderated !== drawn.moderated;
  }

  function follow_move() {
    // Redraw the page when the last status read is not what it shows; not every tab of a
    // big room in the same second (the page runs would queue).
    if (!watch.status || !moved(watch.status) || watch.moving) return;
    watch.moving = setTimeout(() => {
      watch.moving = null;
      const status = watch.status;
      if (status && moved(status)) ask("moved", `${status.phase}:${status.revealed}:${status.moderated}`);
    }, Math.random() * watch.data.spread * 1000);
  }

  function ask(event, value, wait = 10000) {
    // One rerun at a time. A move that comes while one is on its way is looked at again
    // when that one is due: the stream tells of a change once, so a move asked for too
    // early must not be lost.
    const waited = Date.now() - watch.askedAt;
    if (waited < wait) {
      if (event === "moved" && !watch.again) {
        watch.again = setTimeout(() => { watch.again = null; follow_move(); }, wait - waited);
      }
      return;
    }
    watch.askedAt = Date.now();
    setTriggerValue(event, value);
  }

  function received(status) {
    if (typeof status.error === "string") {
      watch.error = status.error;
      draw();
      return;
    }
    watch.error = null;
    watch.status = status;
    watch.since = Date.now();
    // The page's boards may follow the room's counts too (react_card.js looks for new statements).
    document.dispatchEvent(new CustomEvent("cocreate:status", { detail: status }));
    follow_move();
    draw();
  }

  async function check() {
    // The status once, by a plain request; when that fails too, the line stays as it is
    // and the stream is tried again a few seconds later.
    try {
      const reply = await fetch(watch.data.url, {
        headers: { [watch.data.header]: watch.data.token }, cache: "no-store",
      });
      received(await reply.json());
    } catch (e) {
      // The network or the server is away for the moment.
    }
  }

  function listen(timers) {
    // The room's status as the server writes it, for as long as the stream lasts; false
    // when none could be opened.
    return readEvents(watch.data.events, { [watch.data.header]: watch.data.token }, timers.stop.signal,
      (status) => { if (watch.timers === timers) received(status); });
  }

  async function follow(timers) {
    // Listen while the tab is shown; when the stream ends or fails, check once and listen
    // again a few seconds later.
    const pause = () => new Promise((done) => setTimeout(done, watch.data.every * 1000 * (0.85 + Math.random() * 0.3)));
    while (watch.timers === timers) {
      if (document.hidden) {
        await new Promise((shown) => { timers.shown = shown; });
        continue;
      }
      if (timers.stop.signal.aborted) timers.stop = new AbortController();
      let streamed = false;
      try {
        streamed = await listen(timers);
      } catch (e) {
        // Let go of (the tab was hidden or taken down), or the network failed.
      }
      if (watch.timers !== timers) return;
      if (!streamed && !document.hidden) await check();
      if (!document.hidden) await pause();
    }
  }

  button.onclick = () => ask("show_new", Date.now());
  draw();
  // A page run may draw what the room was a moment before the last status read (or the
  // status may have moved since): then the room's status is read once more, and a move
  // asked for if the page is behind.
  if (before && moved(before)) check();
  if (!watch.timers) {
    watch.added = (event) => {
      if (event.detail.kind === watch.data.kind) {
        watch.own += event.detail.change;
        draw();
      }
    };
    document.addEventListener("cocreate:own", watch.added);
    const timers = { tick: setInterval(draw, 1000), stop: new AbortController(), shown: null };
    watch.visibility = () => {
      // A hidden tab lets go of its stream; shown again, it listens at once.
      if (document.hidden) {
        timers.stop.abort();
      } else if (timers.shown) {
        const shown = timers.shown;
        timers.shown = null;
        shown();
      }
    };
    document.addEventListener("visibilitychange", watch.visibility);
    watch.timers = timers;
    follow(timers);
  }
  return () => {
    const timers = watch.timers;
    watch.timers = null;
    clearInterval(timers.tick);
    clearTimeout(watch.moving);
    clearTimeout(watch.again);
    watch.moving = watch.again = null;
    timers.stop.abort();
    if (timers.shown) timers.shown();
    document.removeEventListener("cocreate:own", watch.added);
    document.removeEventListener("visibilitychange", watch.visibility);
  };
}
