// Closed: thanks, the check-in while the facilitator keeps it open (`POST api/checkin`),
// what became of the person's needs (the follow-up actions leaders keep, arriving with the
// room's view), what the room chose, and the practices with how they went (practices.js).
import { html } from "./vendor/preact-htm.js";
import { Button, refusal, words } from "./parts.js";
import { Ranking } from "./results.js";
import { Practices } from "./practices.js";

function CheckIn({ store, me }) {
  const { t } = words(store);
  const ui = store.state.ui;
  const chosen = ui.checkin || (ui.checkin = {});
  const notes = ui.checkinNotes || (ui.checkinNotes = {});
  async function save(need) {
    const reply = await store.send("checkin", { need: need.id, capability: chosen[need.id] });
    store.update(() => { notes[need.id] = typeof reply.now === "number" ? [reply.done, false] : [refusal(store, reply), true]; });
    if (typeof reply.now === "number") {
      store.me((mine) => { for (const item of mine.checkin) if (item.id === need.id) item.now = reply.now; });
    }
  }
  return html`<section class="cc-checkin" data-board="checkin">
    <h3 class="cc-subheading">${t("checkin_heading")}</h3>
    ${me.checkin.length ? null : html`<p class="cc-caption">${t("checkin_none")}</p>`}
    ${me.checkin.map((need) => {
      const value = chosen[need.id] ?? need.now ?? null;
      const [message, error] = notes[need.id] || ["", false];
      return html`<div class="cc-card" key=${need.id} data-need=${need.id} role="group" aria-label=${need.text}>
        <p class="cc-text">${need.text}</p>
        <p class="cc-caption">${t("checkin_said", { value: need.was })}</p>
        <fieldset class="cc-scale"><legend>${t("checkin_today")}</legend>
          <div class="cc-scale-row">${[1, 2, 3, 4, 5].map((n) => html`<label key=${n} class="cc-scale-point">
            <input type="radio" name=${`checkin-${need.id}`} value=${n} checked=${value === n}
              onChange=${() => store.update(() => { chosen[need.id] = n; })} /><span>${n}</span></label>`)}</div>
        </fieldset>
        <div class="cc-buttons"><${Button} label=${t("save")} disabled=${value === null} onClick=${() => save(need)} /></div>
        <p class=${error ? "cc-error" : "cc-caption"} role=${error ? "alert" : "status"} hidden=${!message}>${message}</p>
      </div>`;
    })}
  </section>`;
}

function Became({ store, me }) {
  const { t, tn } = words(store);
  return html`<section class="cc-became" data-board="became">
    <h3 class="cc-subheading">${t("became")}</h3>
    ${me.became.length ? null : html`<p class="cc-caption">${t("became_none")}</p>`}
    ${me.became.map((need) => html`<div class="cc-card" key=${need.id} data-need=${need.id}>
      <p class="cc-text">${need.text}</p>
      <p class="cc-caption">${tn("dots", need.dots)} · ${need.how}</p>
      ${need.actions.length ? null : html`<p class="cc-caption">${t("no_action")}</p>`}
      ${need.actions.map((action, i) => html`<div key=${i} class="cc-action">
        <p class="cc-text">→ ${action.title}</p>
        <p class="cc-caption">${t("action_line", {
          status: action.status, owner: action.owner ? ` · ${action.owner}` : "",
          due: action.due ? t("due", { date: action.due }) : "", changed: action.changed,
        })}</p>
        ${action.outcome ? html`<p class="cc-text">${t("action_outcome", { text: action.outcome })}</p>` : null}
      </div>`)}
    </div>`)}
  </section>`;
}

export function Closed({ store, room, me }) {
  const { t } = words(store);
  return html`<div>
    <p class="cc-success">${t("closed")}</p>
    ${room.workshop.checkin_open && me.checkin ? html`<${CheckIn} store=${store} me=${me} />` : null}
    <${Became} store=${store} me=${me} />
    <${Ranking} store=${store} room=${room} me=${me} />
    <${Practices} store=${store} room=${room} me=${me} />
  </div>`;
}
