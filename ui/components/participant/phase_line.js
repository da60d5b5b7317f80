// The phase line: the phase, its timer counted down on the screen, and a word when others
// added statements or needs (a live region: a screen reader says the new phase and what is
// new without the person looking for it).
import { html, useEffect, useState } from "./vendor/preact-htm.js";
import { words } from "./parts.js";
import { Timing, CalendarButton } from "./schedule.js";

function left(t, seconds) {
  if (seconds <= 0) return t("time_up");
  return t("left", { time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` });
}

export function PhaseLine({ store }) {
  const { t } = words(store);
  const [, tick] = useState(0);
  const { status, room, at } = store.state.view;
  const timed = status.ends_in !== null && status.ends_in !== undefined;
  useEffect(() => {
    if (!timed) return undefined;
    const every = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(every);
  }, [timed]);
  const phase = room.workshop.phase;
  let timer = null;
  if (timed) {
    const elapsed = Math.floor((Date.now() - at) / 1000);
    timer = html` · <span class="cc-timer">⏱ ${left(t, status.ends_in - elapsed)}</span>`;
  }
  return html`<div class="cc-phase-line" data-board="room_watch">
    <p class="cc-phase" role="status">${t("phase")}<strong>${t(`phase_${phase}`)}</strong>${timer}</p>
    <${Timing} store=${store} />
    ${room.workshop.self_paced && phase !== "lobby" && phase !== "closed" ? html`<${CalendarButton} store=${store} />` : null}
    <p class="cc-news" aria-live="polite">${store.state.ui.news || ""}</p>
  </div>`;
}
