// Vote: the dots left (kept in sight), the rules, and the needs in an order of the person's
// own, eight at a time and every need holding one of their dots. A dot is placed or taken
// back by `POST api/dots`, whose answer updates the card and the count; "Rate it" opens
// the rating dialog (dialog.js).
import { html } from "./vendor/preact-htm.js";
import { Button, NeedCard, refusal, words } from "./parts.js";
import { RatingDialog } from "./dialog.js";

const PAGE = 8;

async function dot(store, need, change) {
  // One click at a time, in order: the store decides (budget, cap, phase).
  const ui = store.state.ui;
  ui.dotQueue = (ui.dotQueue || Promise.resolve()).then(async () => {
    const reply = await store.send("dots", { need: need.id, change });
    if (typeof reply.used === "number") {
      store.me((me) => {
        me.used = reply.used;
        me.dots = { ...me.dots, [need.id]: reply.mine };
        if (reply.dots !== null) me.totals = { ...(me.totals || {}), [need.id]: { ...((me.totals || {})[need.id] || {}), dots: reply.dots } };
      });
      store.update((state) => { delete state.ui.dotErrors?.[need.id]; });
    } else {
      store.update((state) => { state.ui.dotErrors = { ...(state.ui.dotErrors || {}), [need.id]: refusal(store, reply) }; });
    }
  });
  return ui.dotQueue;
}

export function Vote({ store, room, me }) {
  const { t, tn } = words(store);
  const w = room.workshop;
  const ui = store.state.ui;
  const shown = ui.voteShown || PAGE;
  // Each person's own order (views.vote_order): it gives away nothing of the hidden totals.
  const place = new Map((me.order || []).map((id, i) => [id, i]));
  const needs = [...(room.needs || [])].sort((a, b) => (place.get(a.id) ?? 1e9) - (place.get(b.id) ?? 1e9) || a.id - b.id);
  const listed = needs.filter((need, i) => i < shown || me.dots[String(need.id)]);
  const more = needs.slice(shown, shown + PAGE).filter((need) => !me.dots[String(need.id)]).length;
  const totals = me.totals || {};
  const errors = ui.dotErrors || {};
  const rating = ui.rating && listed.find((need) => need.id === ui.rating);

  function card(need) {
    const mine = me.dots[String(need.id)] || 0;
    const total = totals[need.id] || {};
    const backers = total.backers !== undefined ? total.backers : need.backers;
    const dots = total.dots !== undefined && total.dots !== null ? total.dots : need.dots;
    let line = `${need.theme_title} · ${tn("backing", backers)}`;
    if (dots !== null && dots !== undefined) line += ` · ${tn("dots_total", dots)}`;
    line += ` · ${t("your_dots", { dots: mine ? "●".repeat(mine) : t("none") })}`;
    const full = me.used >= w.budget;
    const capped = mine >= w.cap;
    const rated = me.ratings[String(need.id)];
    return html`<${NeedCard} key=${need.id} store=${store} need=${need} line=${line} message=${errors[need.id]}>
      <${Button} label=${t("add")} disabled=${Boolean(w.locked) || full || capped}
        title=${w.locked || (full ? t("all_placed") : capped ? t("at_most", { cap: w.cap }) : "")}
        onClick=${() => dot(store, need, 1)} />
      <${Button} label=${t("take_back")} disabled=${Boolean(w.locked) || mine === 0} title=${w.locked}
        onClick=${() => dot(store, need, -1)} />
      ${w.rate_needs ? html`<${Button} label=${rated ? t("rated", { importance: rated[0], capability: rated[1] }) : t("rate_it")}
        onClick=${() => store.update((state) => { state.ui.rating = need.id; })} />` : null}
    <//>`;
  }

  return html`<div class="cc-vote" data-board="vote_board">
    <div class="cc-left" role="status">
      <div class="cc-label">${t("dots_left")}</div>
      <div class="cc-value">${t("left_of", { left: w.budget - me.used, budget: w.budget })}</div>
    </div>
    <p class="cc-caption">${w.rules}</p>
    ${listed.map(card)}
    ${needs.length > listed.length ? html`<p class="cc-caption">${t("listed_of", { n_listed: listed.length, n_needs: needs.length })}</p>
      <div class="cc-buttons"><${Button} label=${t("show_more_vote", { more })}
        onClick=${() => store.update((state) => { state.ui.voteShown = shown + PAGE; })} /></div>` : null}
    ${rating && w.rate_needs ? html`<${RatingDialog} store=${store} need=${rating} rated=${me.ratings[String(rating.id)]} />` : null}
  </div>`;
}
