// A self-paced workshop's schedule on the person's screen: when the open phase closes and
// what comes next, each time in the browser's own time zone and the person's language
// ("Vote closes Thu 11 Dec at 16:00."), and "Add to my calendar" (the phases as an .ics
// file the route makes, with the person's own link in each).
import { html, useState } from "./vendor/preact-htm.js";
import { words, Said } from "./parts.js";

const LOCALES = { en: "en-GB", fi: "fi-FI" };

export function when(language, iso) {
  // `iso` (UTC) as the person reads it where they are: { day: "Thu 11 Dec", time: "16:00" }.
  const at = new Date(iso);
  const locale = LOCALES[language] || language;
  const day = new Intl.DateTimeFormat(locale, {
    weekday: "short", day: "numeric", month: language === "fi" ? "numeric" : "short",
  }).format(at);
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return { day, time };
}

export function Timing({ store }) {
  // Under the phase line: when the open phase closes and what comes next (nothing for a
  // live workshop, or one whose schedule the facilitator paused).
  const { t } = words(store);
  const { status } = store.state.view;
  const next = status.next;
  if (!next) return null;
  const { day, time } = when(store.state.language, next.at);
  const phase = status.phase;
  if (phase === "lobby") {
    return html`<p class="cc-when" data-when=${next.at}>${t("opens_at", { phase: t(`phase_${next.phase}`), day, time })}</p>`;
  }
  const then = next.phase === "closed" ? t("then_closed") : t("next_phase", { phase: t(`phase_${next.phase}`) });
  return html`<p class="cc-when" data-when=${next.at}>${t("closes_at", { phase: t(`phase_${phase}`), day, time })} ${then}</p>`;
}

export function CalendarButton({ store }) {
  // "Add to my calendar": the .ics file, downloaded (the request carries the person's link).
  const { t } = words(store);
  const [note, setNote] = useState(null);
  async function download() {
    let response;
    try {
      response = await fetch(store.data.urls.calendar, { headers: store.headers(), cache: "no-store" });
    } catch (e) {
      setNote([t("unreachable"), true]);
      return;
    }
    if (!response.ok) {
      const reply = await response.json().catch(() => ({}));
      setNote([reply.error || t("unreachable"), true]);
      return;
    }
    const blob = await response.blob();
    const name = (/filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "") || [])[1] || "cocreate.ics";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    setNote(null);
  }
  return html`<div class="cc-calendar">
    <button type="button" onClick=${download}>${t("add_calendar")}</button>
    <${Said} note=${note} />
  </div>`;
}

export function Schedule({ store, room }) {
  // The Lobby of a self-paced workshop: how it runs, and when each phase opens.
  const { t } = words(store);
  const w = room.workshop;
  if (!w.self_paced) return null;
  return html`<div class="cc-card cc-schedule" data-board="schedule">
    <p class="cc-text">${t("self_paced")}</p>
    <p class="cc-strong">${t("schedule_heading")}</p>
    <ul>
      ${w.schedule.map(([phase, at]) => {
        const { day, time } = when(store.state.language, at);
        return html`<li key=${phase}>${t(`phase_${phase}`)}: ${day} ${time}</li>`;
      })}
    </ul>
    <${CalendarButton} store=${store} />
  </div>`;
}
