// Following the room: its status as server-sent events (`GET api/room/events`), or, when no
// stream can be opened, `GET api/room` every few seconds. A status that shows the room
// moved (the phase, the reveal, what the facilitator hid or merged, or anything others
// added, answered or voted: the data version) makes the app ask for its view again. A
// hidden tab lets go of its stream and looks again when shown.

import { readEvents } from "./events.js";

const LAG = 1100;  // ms: the room's view may lag its status by a second (views.SHARED_MAX_AGE)

export function follow(store) {
  const data = store.data;
  const stop = new AbortController();
  let stream = null;      // the AbortController of the open stream
  let shown = null;       // resolves when a hidden tab is shown again
  let behind = null;      // a timer looking again when the view lagged the status

  function moved(status) {
    const view = store.state.view;
    if (!view) return true;
    const room = view.room;
    return status.phase !== room.workshop.phase || status.revealed !== room.workshop.revealed
      || status.version > view.version;
  }

  async function received(status) {
    if (typeof status.error === "string") {
      if (status.ended) store.end(status.error);
      return;
    }
    if (store.state.view) {
      store.update((state) => { state.view.status = { ...state.view.status, ...status }; state.view.at = Date.now(); });
    }
    if (!moved(status)) return;
    await store.refresh();
    // The room's view is made once a second for the whole room: one older than this
    // status is asked again a moment later, so the last thing added is never left out.
    clearTimeout(behind);
    const now = store.state.view;
    if (now && now.version < status.version) {
      behind = setTimeout(() => { if (!stop.signal.aborted) received(status); }, LAG);
    }
  }

  async function check() {
    try {
      const reply = await fetch(data.urls.room, { headers: store.headers(), cache: "no-store", signal: stop.signal });
      const status = await reply.json();
      if (reply.status === 404 && typeof status.error === "string") store.end(status.error);
      else await received(status);
    } catch (e) {
      // The network or the server is away for the moment: the next look tries again.
    }
  }

  function listen() {
    // The stream, for as long as it lasts: true; false when none could be opened (then
    // the plain look, `check`, says why, and a link that went ends the screen).
    stream = new AbortController();
    return readEvents(data.urls.events, store.headers(), AbortSignal.any([stop.signal, stream.signal]), received);
  }

  function pause() {
    const status = store.state.view && store.state.view.status;
    const every = (status && status.every) || 3;
    return new Promise((done) => setTimeout(done, every * 1000 * (0.85 + Math.random() * 0.3)));
  }

  async function run() {
    while (!stop.signal.aborted) {
      if (document.hidden) {
        await new Promise((resolve) => { shown = resolve; });
        shown = null;
        if (stop.signal.aborted) return;
        store.refresh();
        continue;
      }
      let streamed = false;
      try {
        streamed = await listen();
      } catch (e) {
        // Let go of (the tab was hidden or the app stopped), or the network failed.
      }
      if (stop.signal.aborted) return;
      if (!streamed && !document.hidden) await check();
      if (!document.hidden && !stop.signal.aborted) await pause();
    }
  }

  function visibility() {
    if (document.hidden) {
      if (stream) stream.abort();
    } else if (shown) {
      shown();
    }
  }

  document.addEventListener("visibilitychange", visibility);
  run();
  return () => {
    stop.abort();
    clearTimeout(behind);
    if (shown) shown();
    document.removeEventListener("visibilitychange", visibility);
  };
}
