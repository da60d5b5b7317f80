// Others' needs in Propose, most backed first, eight at a time, each with "Me too"
// (`POST api/back`, whose answer updates the card).
import { html } from "./vendor/preact-htm.js";
import { Button, NeedCard, refusal, words } from "./parts.js";

const PAGE = 8;

export async function backIt(store, needId, backed) {
  const reply = await store.send("back", { need: needId, backed });
  if (typeof reply.backed === "boolean") {
    store.me((me) => {
      me.backed = reply.backed ? [...new Set([...me.backed, needId])] : me.backed.filter((id) => id !== needId);
      me.totals = { ...(me.totals || {}), [needId]: { ...((me.totals || {})[needId] || {}), backers: reply.backers } };
    });
  }
  return reply;
}

export function BackList({ store, room, me }) {
  const { t, tn } = words(store);
  const own = new Set(me.needs.map((n) => n.id));
  const others = (room.needs || []).filter((n) => !own.has(n.id));
  if (!others.length) return null;
  const ui = store.state.ui;
  const shown = ui.backShown || PAGE;
  const backed = new Set(me.backed);
  const totals = me.totals || {};
  const messages = ui.backMessages || (ui.backMessages = {});
  return html`<section class="cc-back" data-board="back_board">
    <h3 class="cc-subheading">${t("proposed_by_others", { n_others: others.length })}</h3>
    ${others.slice(0, shown).map((need) => {
      const on = backed.has(need.id);
      const backers = (totals[need.id] && totals[need.id].backers !== undefined) ? totals[need.id].backers : need.backers;
      return html`<${NeedCard} key=${need.id} store=${store} need=${need} message=${messages[need.id]}
        line=${`${need.theme_title} · ${tn("backing", backers)}`}>
        <${Button} label=${on ? t("backed") : t("me_too")} on=${on} pressed=${on}
          onClick=${async () => {
            const reply = await backIt(store, need.id, !on);
            store.update(() => { messages[need.id] = typeof reply.backed === "boolean" ? "" : refusal(store, reply); });
          }} />
      <//>`;
    })}
    ${others.length > shown ? html`<div class="cc-buttons"><${Button}
      label=${t("show_more", { value: Math.min(PAGE, others.length - shown) })}
      onClick=${() => store.update((state) => { state.ui.backShown = shown + PAGE; })} /></div>` : null}
  </section>`;
}
