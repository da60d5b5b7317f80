// The one store of the app: the link's token (none until the person joins), what the
// screen shows now (`view`: the room's status, the room's view and the person's own part,
// as `GET api/view` answers them), the person's language, what they are typing, and
// whether their link still opens the room. Every request to the
// routes goes through here (`send`, `refresh`); a view draws from `store.state` and calls
// `store.update` to change it, which draws the screen again.

import { tn } from "./text.js";

function others(view) {
  // How many statements (Share) or needs (Propose) of others the view holds, and which.
  const { room, me } = view;
  if (room.workshop.phase === "share") {
    // The person's own may be newer than the room's counts (they lag a second): never below 0.
    const all = Object.values(room.statement_counts || {}).reduce((a, b) => a + b, 0);
    return ["new_statements", Math.max(0, all - me.statements.length)];
  }
  if (room.workshop.phase === "propose") return ["new_needs", Math.max(0, (room.needs || []).length - me.needs.length)];
  return [null, 0];
}

function news(before, after, words) {
  // What to say when others added statements or needs since the last view ("" on a new
  // phase; undefined: nothing new to say).
  if (!before || before.room.workshop.phase !== after.room.workshop.phase) return "";
  const [key, was] = others(before);
  const [, now] = others(after);
  return key && now > was ? tn(words, key, now - was) : undefined;
}

export function createStore(data) {
  const listeners = new Set();
  const store = {
    data,
    state: {
      language: data.language,
      view: null,        // { status, room, me } as last answered
      ended: null,       // why the link no longer opens the room: the screen stops acting
      failed: false,     // the last look at the room could not reach the server
      drafts: {},        // what is typed, by box
      ui: {},            // what each view keeps between drawings (a tab, an open dialog …)
    },
    clicks: 0,           // writes answered so far: a view asked before one may be older
    words() {
      return data.words[store.state.language];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(change) {
      if (typeof change === "function") change(store.state);
      else Object.assign(store.state, change);
      for (const listener of listeners) listener();
    },
    headers() {
      return {
        [data.header]: data.token,
        "Content-Type": "application/json",
        "Accept-Language": store.state.language,
      };
    },
    end(message) {
      // The facilitator removed the person (or the link went): say so and stop asking.
      if (store.state.ended) return;
      store.update({ ended: message });
      for (const stop of store.stops) stop();
    },
    stops: [],   // what to end when the link no longer opens the room
    starts: [],  // what to begin once the person has joined (follow the room …)
  };

  let asking = null;  // the view request on its way
  let again = false;  // something moved while it was on its way

  store.refresh = async function refresh() {
    // What the screen shows now. One request at a time; a move meanwhile asks once more.
    if (store.state.ended || !data.token) return;
    if (asking) {
      again = true;
      return asking;
    }
    asking = (async () => {
      do {
        again = false;
        const clicks = store.clicks;
        const view = store.state.view;
        const have = view && view.language === store.state.language ? `?have=${view.tag}` : "";
        let reply, status;
        try {
          const response = await fetch(data.urls.view + have, { headers: store.headers(), cache: "no-store" });
          status = response.status;
          reply = await response.json();
        } catch (e) {
          store.update({ failed: true });
          break;
        }
        if (typeof reply.error === "string") {
          // 404: the link no longer opens the room (the person was removed); else the
          // server is restarting or busy, and the next status asks again.
          if (status === 404) store.end(reply.error);
          else store.update({ failed: true });
          break;
        }
        if (store.clicks !== clicks) {
          again = true;  // a write's answer came meanwhile: this view may not hold it
          continue;
        }
        const room = reply.room || (view && view.room);
        const fresh = {
          status: reply.status, version: reply.version, tag: reply.tag, room, me: reply.me,
          language: store.state.language, at: Date.now(),
        };
        store.update((state) => {
          state.failed = false;
          state.ui.news = news(view, fresh, data.words[state.language]) ?? state.ui.news;
          state.view = fresh;
        });
      } while (again && !store.state.ended);
      asking = null;
    })();
    return asking;
  };

  store.send = async function send(route, body, method = "POST") {
    // A click: the route's JSON answer, or `{ error }` in the person's language when the
    // server could not be reached. A refusal that means the link went ends the screen
    // (before the person has joined there is no link yet: a 404 is an unknown code).
    if (store.state.ended) return { error: store.state.ended };
    let reply;
    try {
      const response = await fetch(data.urls[route], {
        method, cache: "no-store", headers: store.headers(),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      reply = await response.json();
      if (response.status === 404 && data.token && typeof reply.error === "string") store.end(reply.error);
    } catch (e) {
      return { error: data.words[store.state.language].unreachable };
    }
    if (reply && typeof reply.error !== "string") store.clicks += 1;
    return reply || { error: data.words[store.state.language].unreachable };
  };

  store.join = async function join(body) {
    // Join the workshop: the new link's token, put into the page's link (the person's way
    // back in), then what to show. `{ error }` when the room refused or was out of reach.
    const reply = await store.send("join", body);
    if (typeof reply.token !== "string") return reply;
    const link = new URL(window.location.href);
    link.searchParams.delete("code");
    link.searchParams.set("t", reply.token);
    window.history.replaceState(window.history.state, "", link);
    data.token = reply.token;
    store.update({ drafts: {}, ui: {} });
    for (const start of store.starts) start();
    return reply;
  };

  store.me = function me(change) {
    // Change the person's own part of the view after a write the route answered.
    store.update((state) => { if (state.view) change(state.view.me, state.view.room); });
  };

  return store;
}
