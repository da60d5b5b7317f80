// Coming back: the app keeps, in this browser, when the person last looked at the room, what
// it held then (the phase, how many statements, needs and practices) and what they had
// typed and not yet sent. A person who comes back after a while is told what is new since
// their last visit, and their unsent text is back in its box. Kept per link: nothing of it
// leaves the browser.
import { html } from "./vendor/preact-htm.js";
import { Button, words } from "./parts.js";
import { when } from "./schedule.js";

const AWAY = 10 * 60 * 1000;  // ms away after which a visit is a new one (a reload is not)
const EVERY = 30 * 1000;      // ms between saves while the screen is open

function key(store) {
  return `cocreate.visit.${store.data.token}`;
}

function read(store) {
  try {
    return JSON.parse(window.localStorage.getItem(key(store)) || "null");
  } catch (e) {
    return null;  // storage off (a private window …): the app works without
  }
}

// What the room counts that the person's own part lists too, and the phases it lists them in.
const KNOWN = { statements: ["share"], needs: ["propose"], practices: ["share", "propose"] };

function mine(view, before) {
  // How many statements, needs and practices are the person's own: from their part of the
  // view where it lists them, else as last known.
  const { status, me } = view;
  return Object.fromEntries(Object.entries(KNOWN).map(([kind, phases]) => [
    kind, phases.includes(status.phase) ? ((me && me[kind]) || []).length : ((before || {})[kind] || 0),
  ]));
}

function others(view, own) {
  // How many of others the room holds (its counts lag a second behind the person's own
  // writes: never below 0).
  return Object.fromEntries(Object.keys(KNOWN).map((kind) => [kind, Math.max(0, (view.status[kind] || 0) - own[kind])]));
}

function save(store) {
  const view = store.state.view;
  if (!view) return;
  const drafts = Object.fromEntries(Object.entries(store.state.drafts).filter(([, v]) => typeof v === "string" && v.trim()));
  const own = mine(view, store.state.ui.mine);
  store.state.ui.mine = own;
  const record = { at: Date.now(), phase: view.status.phase, mine: own, others: others(view, own), drafts };
  try {
    window.localStorage.setItem(key(store), JSON.stringify(record));
  } catch (e) {
    // full or off: the next visit is told nothing, which is no harm
  }
}

export function remember(store) {
  // Read the last visit (and put its unsent text back), then keep this one as it goes.
  const last = read(store);
  if (last && last.drafts) {
    for (const [box, text] of Object.entries(last.drafts)) if (!(box in store.state.drafts)) store.state.drafts[box] = text;
  }
  if (last && last.mine) store.state.ui.mine = last.mine;
  if (last && Date.now() - last.at > AWAY) store.state.ui.lastVisit = last;
  const keep = () => save(store);
  const hidden = () => { if (document.visibilityState === "hidden") keep(); };
  const every = setInterval(keep, EVERY);
  document.addEventListener("visibilitychange", hidden);
  window.addEventListener("pagehide", keep);
  return () => {
    keep();
    clearInterval(every);
    document.removeEventListener("visibilitychange", hidden);
    window.removeEventListener("pagehide", keep);
  };
}

export function WelcomeBack({ store }) {
  // What is new since the last visit: a phase opened, others' statements, needs, practices.
  const { t, tn } = words(store);
  const last = store.state.ui.lastVisit;
  const view = store.state.view;
  if (!last || !view || store.state.ui.welcomed) return null;
  const { status } = view;
  const news = [];
  if (status.phase !== last.phase) news.push(t("phase_opened", { phase: t(`phase_${status.phase}`) }));
  const now = others(view, mine(view, last.mine));
  for (const kind of Object.keys(KNOWN)) {
    const more = now[kind] - ((last.others || {})[kind] || 0);
    if (more > 0) news.push(tn(`new_${kind}`, more));
  }
  const { day, time } = when(store.state.language, new Date(last.at).toISOString());
  const kept = Object.keys(last.drafts || {}).length > 0;
  return html`<div class="cc-info cc-welcome" role="status" data-board="welcome_back">
    <p class="cc-strong">${t("welcome_back", { day, time })}</p>
    ${news.length ? html`<ul>${news.map((line) => html`<li key=${line}>${line}</li>`)}</ul>` : html`<p>${t("nothing_new")}</p>`}
    ${kept ? html`<p>${t("drafts_kept")}</p>` : null}
    <div class="cc-buttons"><${Button} label=${t("got_it")}
      onClick=${() => store.update((state) => { state.ui.welcomed = true; })} /></div>
  </div>`;
}
