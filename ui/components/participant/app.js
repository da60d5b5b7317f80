// The participant's app: mounted once per opened link by the Participate page's component
// (ui/components/participant/__init__.py). Without a token it shows the join form
// (join.js); with one it asks `GET api/view` for what the screen shows, follows the room
// (follow.js) and draws the screen (screen.js) from the one store (store.js) whenever it
// changes.
import { html, render } from "./vendor/preact-htm.js";
import { createStore } from "./store.js";
import { follow } from "./follow.js";
import { Screen } from "./screen.js";
import { remember } from "./visits.js";

export function mount(component, base) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".cc-app");
  for (const name of data.styles) {
    if (parentElement.querySelector(`link[data-cc="${name}"]`)) continue;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = base + name;
    link.dataset.cc = name;
    parentElement.prepend(link);
  }
  // Drawn again by a new page run (a tab that reconnected to a restarted server): the same
  // link keeps what was typed.
  let store = parentElement.__ccStore;
  if (!store || store.data.token !== data.token) {
    store = createStore(data);
    parentElement.__ccStore = store;
  }
  const draw = () => render(html`<${Screen} store=${store} />`, root);
  const unsubscribe = store.subscribe(draw);
  let stopFollowing = () => {};
  const start = () => {
    const stopRemembering = remember(store);
    const following = follow(store);
    stopFollowing = () => { following(); stopRemembering(); };
    store.stops = [stopFollowing];
    store.refresh();
  };
  draw();
  if (store.data.token) start();
  else store.starts = [start];  // the join form first (join.js)
  return () => {
    unsubscribe();
    stopFollowing();
  };
}
