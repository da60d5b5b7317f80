// Lobby: a welcome (for a self-paced workshop: how it runs and when each phase opens), the
// strategy and its themes, until the room starts.
import { html } from "./vendor/preact-htm.js";
import { words } from "./parts.js";
import { Schedule } from "./schedule.js";

export function Lobby({ store, room }) {
  const { t } = words(store);
  const w = room.workshop;
  return html`<div class="cc-lobby" data-board="lobby">
    ${w.self_paced ? html`<${Schedule} store=${store} room=${room} />` : html`<p class="cc-info">${t("welcome")}</p>`}
    <p class="cc-text">${w.strategy}</p>
    ${w.themes.map((theme) => html`<div class="cc-card" key=${theme.id}>
      <h4 class="cc-theme-title">${theme.title}</h4>
      <p class="cc-text">${theme.prompt}</p>
    </div>`)}
  </div>`;
}
