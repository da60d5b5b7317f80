// Lobby: a welcome, the strategy and its themes, until the facilitator starts.
import { html } from "./vendor/preact-htm.js";
import { words } from "./parts.js";

export function Lobby({ store, room }) {
  const { t } = words(store);
  const w = room.workshop;
  return html`<div class="cc-lobby" data-board="lobby">
    <p class="cc-info">${t("welcome")}</p>
    <p class="cc-text">${w.strategy}</p>
    ${w.themes.map((theme) => html`<div class="cc-card" key=${theme.id}>
      <h4 class="cc-theme-title">${theme.title}</h4>
      <p class="cc-text">${theme.prompt}</p>
    </div>`)}
  </div>`;
}
