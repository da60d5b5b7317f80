// The whole screen: the join form until the person has joined; then the workshop's title,
// who the person is, the language switch, the phase line, and the view of the phase the
// room is in. Once the link no longer opens the
// room (the facilitator removed the person) only the notice stays.
import { html } from "./vendor/preact-htm.js";
import { words } from "./parts.js";
import { PhaseLine } from "./phase_line.js";
import { WelcomeBack } from "./visits.js";
import { Lobby } from "./lobby.js";
import { Share } from "./share.js";
import { Propose } from "./propose.js";
import { Vote } from "./vote.js";
import { Results } from "./results.js";
import { Closed } from "./closed.js";
import { Join } from "./join.js";

const PHASES = { lobby: Lobby, share: Share, propose: Propose, vote: Vote, results: Results, closed: Closed };

function Languages({ store }) {
  const { t } = words(store);
  function choose(code) {
    const link = new URL(window.location.href);
    link.searchParams.set("lang", code);
    window.history.replaceState(window.history.state, "", link);
    store.update({ language: code });
    store.refresh();
  }
  return html`<div class="cc-languages" role="group" aria-label=${`${t("language")} · Kieli`}>
    ${store.data.languages.map(([code, name]) => html`<button type="button" key=${code} lang=${code}
      class=${code === store.state.language ? "cc-on" : undefined}
      aria-pressed=${code === store.state.language ? "true" : "false"}
      onClick=${() => choose(code)}>${name}</button>`)}
  </div>`;
}

export function Screen({ store }) {
  const { t } = words(store);
  const { view, ended, failed } = store.state;
  if (ended) {
    return html`<div class="cc-screen-app" lang=${store.state.language}>
      <div class="cc-notice" role="alert"><p class="cc-strong">${t("removed_heading")}</p><p>${ended}</p></div>
    </div>`;
  }
  if (!store.data.token) {
    return html`<div class="cc-screen-app" lang=${store.state.language}>
      <div class="cc-top"><${Languages} store=${store} /></div>
      <${Join} store=${store} />
    </div>`;
  }
  if (!view) {
    return html`<div class="cc-screen-app" lang=${store.state.language}>
      <${Languages} store=${store} />
      <p class="cc-caption" role="status">${failed ? t("unreachable") : t("loading")}</p>
    </div>`;
  }
  const { room, me } = view;
  const Phase = PHASES[room.workshop.phase];
  const who = [me.name, me.team].filter(Boolean).join(" · ");
  return html`<div class="cc-screen-app" lang=${store.state.language}>
    <div class="cc-top">
      <${Languages} store=${store} />
    </div>
    <h2 class="cc-title-line">${room.workshop.title}</h2>
    <p class="cc-caption">${who}</p>
    <${PhaseLine} store=${store} />
    <${WelcomeBack} store=${store} />
    ${failed ? html`<p class="cc-caption" role="status">${t("unreachable")}</p>` : null}
    <${Phase} store=${store} room=${room} me=${me} key=${room.workshop.phase} />
  </div>`;
}
