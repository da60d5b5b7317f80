// The projector's screen, drawn from the workshop's view (JSON made once per data version
// for every projector) and kept live by `GET api/present/events`; without a stream it asks
// `GET api/present` every few seconds. Plotly.js, served beside the app, draws the charts.
// The screen is one fixed grid the size of the projector's (projector.css): the header with
// the phase, a large timer and the join code, the numbers, and two panels at a time, turning
// to the next two every `rotate` seconds, with dots saying which page is shown. The timer
// counts down here. Participant text is only ever set as text.
export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".cc-screen");
  const screen = parentElement.__ccScreen || (parentElement.__ccScreen = { charts: new Map() });
  screen.data = data;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);  // never markup
    return node;
  }

  function plotly() {
    // Plotly.js once per tab, from the server beside the app; null when it cannot be had.
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!window.__ccPlotly) {
      window.__ccPlotly = new Promise((loaded) => {
        const script = document.createElement("script");
        script.src = screen.data.plotly;
        script.onload = () => loaded(window.Plotly || null);
        script.onerror = () => loaded(null);
        document.head.append(script);
      });
    }
    return window.__ccPlotly;
  }

  function chart(key, figure) {
    // One element per chart key, kept across views: Plotly.react redraws only what changed.
    // The figure takes the size of its panel and a type size that suits the screen's height.
    let cell = screen.charts.get(key);
    if (!cell) {
      cell = el("div", "cc-chart");
      cell.dataset.chart = key;
      screen.charts.set(key, cell);
    }
    cell.__ccFigure = figure;
    requestAnimationFrame(() => plotly().then((Plotly) => {
      if (cell.__ccFigure !== figure || !cell.isConnected) return;  // a newer view, or another page, came meanwhile
      if (!Plotly) {
        cell.textContent = t(screen.data, "no_charts");
        return;
      }
      const spec = JSON.parse(figure);
      const layout = spec.layout || {};
      const size = typeSize();
      delete layout.height;
      delete layout.width;
      layout.autosize = true;
      layout.font = { ...(layout.font || {}), size };
      // Every text of the figure at least the screen's type size: ticks, annotations, the
      // numbers in bars and cells (which Plotly would otherwise shrink to fit).
      for (const trace of spec.data || []) {
        atLeast(trace, size);
        if (trace.type === "heatmap") trace.textfont = { ...(trace.textfont || {}), size };
      }
      atLeast(layout, size);
      if (layout.title && layout.title.font) layout.title.font = { ...layout.title.font, size: size + 4 };
      layout.margin = { ...(layout.margin || {}), t: Math.round(size * 3) };
      if (screen.view && screen.view.dark) {
        layout.paper_bgcolor = layout.plot_bgcolor = "#0f1419";
        layout.font.color = "#f1f3f5";
        for (const note of layout.annotations || []) note.font = { ...(note.font || {}), color: "#c9ccd1" };
      }
      Plotly.react(cell, spec.data || [], layout, { displayModeBar: false, responsive: true });
    }));
    return cell;
  }

  function typeSize() {
    // The charts' type: 18 px on a 720-line screen, a 44th of the height above (24 px at
    // 1080), read from the back of a room.
    return Math.max(18, Math.round(window.innerHeight / 44));
  }

  function atLeast(node, size) {
    // Raise every font size in a figure's spec (a trace or the layout) to `size`.
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (/font$/.test(key) && value && typeof value === "object") {
        if (Array.isArray(value.size)) value.size = value.size.map((each) => Math.max(each, size));
        else if (typeof value.size === "number" && value.size < size) value.size = size;
      }
      if (typeof value === "object" && key !== "data" && key !== "x" && key !== "y" && key !== "z") atLeast(value, size);
    }
  }

  function panel(title, ...children) {
    const box = el("section", "cc-panel");
    if (title) box.append(el("h2", null, title));
    box.append(...children.filter(Boolean));
    return box;
  }

  function items(entries, grouped) {
    // Participant text, each clamped to a few lines (the full text is on the participants'
    // screens); grouped under its theme when asked.
    const list = el("div", "cc-items");
    let group = null;
    for (const [theme, text] of entries) {
      if (grouped && theme !== group) {
        group = theme;
        list.append(el("div", "cc-group", theme));
      }
      const item = el("div", "cc-item");
      item.append(el("div", "cc-item-text", text));
      list.append(item);
    }
    return list;
  }

  function inTurn(list, perPage, screens) {
    // The page of `list` shown this time its panel is on the screen (every `screens`
    // turns): a theme's newest statements a few at a time, each in turn.
    const pages = Math.max(1, Math.ceil(list.length / perPage));
    const page = Math.floor(screen.turn / screens) % pages;
    return list.slice(page * perPage, (page + 1) * perPage);
  }

  function panels(view) {
    // What the phase shows, as panels of one size: Share a panel per theme (its question,
    // key terms and newest statements) and its charts; Propose the newest needs by theme
    // and the activity; Vote to Closed the charts.
    const charts = view.charts.map((c) => panel(null, chart(c.key, c.figure)));
    if (view.phase === "share") {
      const terms = Object.fromEntries(view.terms.map((term) => [term.theme, term.figure]));
      const said = (title) => view.wall.filter(([theme]) => theme === title);
      const themes = (view.themes || []).filter((theme) => terms[theme.title] || said(theme.title).length);
      const screens = Math.max(1, Math.ceil((themes.length + charts.length) / perPageOf(view)));
      const perTheme = themes.map((theme) => panel(
        theme.title,
        el("p", "cc-question", theme.question),
        terms[theme.title] ? chart(`terms:${theme.title}`, terms[theme.title]) : null,
        items(inTurn(said(theme.title), 2, screens), false),
      ));
      return [...perTheme, ...charts];
    }
    if (view.phase === "propose") {
      const order = [...new Set(view.wall.map(([theme]) => theme))];
      const newest = order.flatMap((theme) => view.wall.filter(([each]) => each === theme));
      return [panel(t(screen.data, "newest_needs"), items(newest, true)), ...charts];
    }
    if (view.pairs && view.pairs.length) {
      // Who can help whom: a few pairs at a time, each in turn.
      const screens = Math.max(1, Math.ceil((charts.length + 1) / perPageOf(view)));
      return [...charts, panel(t(screen.data, "help"), items(inTurn(view.pairs, 4, screens), true))];
    }
    return charts;
  }

  function qr(view, cls) {
    const image = el("img", cls);
    image.src = screen.data.qr;  // a data: URI the server made from the join link
    image.alt = t(screen.data, "qr", { url: screen.data.join_url });
    return image;
  }

  function header(view) {
    const top = el("div", "cc-header");
    const title = el("div", "cc-title");
    screen.line = el("div", "cc-phase");
    screen.line.setAttribute("role", "status");
    title.append(el("h1", null, view.title), screen.line);
    screen.timer = el("div", "cc-timer");
    screen.timer.setAttribute("role", "timer");
    screen.timer.setAttribute("aria-label", t(screen.data, "time_left"));
    const join = el("div", "cc-join");
    const code = el("div");
    code.append(el("div", "cc-label", t(screen.data, "join_with")), el("div", "cc-code", view.code));
    join.append(code);
    if (view.phase !== "lobby") join.append(qr(view, "cc-qr"));
    top.append(title, screen.timer, join);
    return top;
  }

  function lobby(view) {
    const box = el("div", "cc-lobby");
    const info = el("div", "cc-panel");
    const themes = el("ul", "cc-themes");
    for (const theme of view.lobby.themes) themes.append(el("li", null, theme));
    info.append(el("div", "cc-label", t(screen.data, "open")), el("div", "cc-url", screen.data.join_url),
                el("div", "cc-strategy", view.lobby.strategy), themes);
    box.append(qr(view, "cc-qr cc-qr-large"), info);
    return box;
  }

  function turns(count, page) {
    // Which page of panels is on the screen, when there is more than one.
    const row = el("div", "cc-turns");
    if (count > 1) {
      row.setAttribute("aria-label", t(screen.data, "page_of", { page: page + 1, count }));
      for (let i = 0; i < count; i++) row.append(el("span", i === page ? "cc-dot cc-on" : "cc-dot"));
      const why = screen.view.paused ? t(screen.data, "held")
        : screen.heldHere ? t(screen.data, "held_here") : t(screen.data, "turns", { seconds: screen.view.rotate });
      row.append(el("span", null, why));
      if (!screen.view.paused) {
        // Anyone at this screen may stop it turning, and start it again (WCAG 2.2.2).
        const hold = el("button", "cc-hold", t(screen.data, screen.heldHere ? "resume" : "pause"));
        hold.type = "button";
        hold.setAttribute("aria-pressed", screen.heldHere ? "true" : "false");
        hold.onclick = () => {
          screen.heldHere = !screen.heldHere;
          draw();
          root.querySelector(".cc-hold")?.focus();
        };
        row.append(hold);
      }
    }
    return row;
  }

  function phaseLine() {
    // The phase, and the timer in type readable from the back of the room.
    screen.line.textContent = t(screen.data, "phase", { label: screen.view.label });
    if (screen.endsIn === null) {
      screen.timer.textContent = "";
      return;
    }
    const seconds = screen.endsIn - Math.floor((Date.now() - screen.since) / 1000);
    screen.timer.textContent = seconds <= 0 ? t(screen.data, "time_up")
      : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    screen.timer.classList.toggle("cc-up", seconds <= 0);
  }

  function draw() {
    const view = screen.view;
    root.classList.toggle("cc-dark", Boolean(view.dark));
    const held = view.paused || screen.heldHere;  // by the facilitator, or at this screen
    if (!held || screen.turn === undefined) screen.turn = Math.floor(Date.now() / 1000 / view.rotate);
    const stage = el("div", "cc-stage");
    let pages = 1;
    let page = 0;
    if (view.lobby) {
      stage.append(lobby(view));
      stage.style.setProperty("--cc-columns", 1);
    } else if (view.note) {
      stage.append(el("div", "cc-note", view.note));
      stage.style.setProperty("--cc-columns", 1);
    } else {
      const all = panels(view);
      const perPage = perPageOf(view);
      pages = Math.max(1, Math.ceil(all.length / perPage));
      // Held: the page shown stays until the screen may turn again.
      page = held ? Math.min(screen.page || 0, pages - 1) : screen.turn % pages;
      screen.page = page;
      const shown = all.slice(page * perPage, (page + 1) * perPage);
      stage.style.setProperty("--cc-columns", Math.max(1, shown.length));
      stage.append(...shown);
    }
    const numbers = el("div", "cc-numbers");
    for (const n of view.numbers) {
      const cell = el("div", "cc-number");
      cell.append(el("div", "cc-big", n.value), el("div", "cc-label", n.label));
      numbers.append(cell);
    }
    root.replaceChildren(header(view), numbers, stage, turns(pages, page));
    phaseLine();
  }

  function perPageOf(view) {
    // Share's themes and Propose's newest needs, two to a page; from Vote on, each chart
    // has the whole page (its labels and numbers in readable type).
    return view.phase === "share" || view.phase === "propose" ? 2 : 1;
  }

  function show(view, endsIn) {
    screen.view = view;
    screen.endsIn = endsIn;
    screen.since = Date.now();
    draw();
  }

  function received(message) {
    if (typeof message.error === "string") {
      screen.view = null;
      const box = el("div", "cc-error", message.error);
      box.setAttribute("role", "alert");
      root.replaceChildren(box);
      return;
    }
    show(message.view, message.ends_in);
  }

  async function check() {
    // The screen once, by a plain request; when that fails too, the screen stays as it is
    // and the stream is tried again a few seconds later.
    try {
      const reply = await fetch(screen.data.url, {
        headers: { [screen.data.header]: screen.data.token }, cache: "no-store",
      });
      received(await reply.json());
    } catch (e) {
      // The network or the server is away for the moment.
    }
  }

  function listen(follower) {
    // The screen as the server writes it, for as long as the stream lasts; false when none
    // could be opened.
    return readEvents(screen.data.events, { [screen.data.header]: screen.data.token }, follower.stop.signal,
      (message) => { if (screen.follower === follower) received(message); });
  }

  async function follow(follower) {
    // Listen; when the stream ends or cannot be opened, ask once and listen again a few
    // seconds later.
    const pause = () => new Promise((done) => setTimeout(done, screen.data.every * 1000));
    while (screen.follower === follower) {
      let streamed = false;
      try {
        streamed = await listen(follower);
      } catch (e) {
        // Taken down, or the network failed.
      }
      if (screen.follower !== follower) return;
      if (!streamed) await check();
      await pause();
    }
  }

  show(JSON.parse(data.view), data.ends_in);
  if (!screen.follower) {
    const follower = { stop: new AbortController() };
    follower.tick = setInterval(() => {
      if (!screen.view) return;
      const held = screen.view.paused || screen.heldHere;
      if (!held && Math.floor(Date.now() / 1000 / screen.view.rotate) !== screen.turn) draw();
      else phaseLine();
    }, 1000);
    screen.follower = follower;
    follow(follower);
  }
  return () => {
    const follower = screen.follower;
    screen.follower = null;
    clearInterval(follower.tick);
    follower.stop.abort();
  };
}
