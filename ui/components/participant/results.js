// Results: what the room chose, most dotted first, once the facilitator revealed it, with
// the person's own dots.
import { html } from "./vendor/preact-htm.js";
import { words } from "./parts.js";

export function Ranking({ store, room, me }) {
  const { t, tn } = words(store);
  if (!room.workshop.counts_visible) return html`<p class="cc-info">${t("results_later")}</p>`;
  const totals = me.totals || {};
  return html`<section data-board="ranking">
    <h3 class="cc-subheading">${t("chose")}</h3>
    <ol class="cc-ranking" aria-label=${t("chose")}>
      ${room.needs.map((need, i) => {
        const total = totals[need.id] || {};
        const dots = total.dots !== undefined && total.dots !== null ? total.dots : need.dots;
        const backers = total.backers !== undefined ? total.backers : need.backers;
        const mine = me.dots[String(need.id)] || 0;
        const parts = [need.theme_title, tn("dots", dots), tn("backing", backers)];
        if (mine) parts.push(t("of_yours", { mine }));
        return html`<li class="cc-card" key=${need.id} data-need=${need.id}>
          <p class="cc-text">${i + 1}. ${need.text}</p>
          <p class="cc-caption">${parts.join(" · ")}</p>
        </li>`;
      })}
    </ol>
  </section>`;
}

export function Results({ store, room, me }) {
  return html`<${Ranking} store=${store} room=${room} me=${me} />`;
}
