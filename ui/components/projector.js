// The projector's screen, drawn from the workshop's view (JSON made once per data version
// for every projector) and kept live by `GET api/present/events`; without a stream it asks
// `GET api/present` every few seconds. Plotly.js, served beside the app, draws the charts;
// the key terms and the wall turn in the browser, and the timer counts down here.
// Participant text is only ever set as text.
export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".cc-screen");
  const screen = parentElement.__ccScreen || (parentElement.__ccScreen = { charts: new Map() });
  screen.data = data;

  const left = (seconds) => seconds <= 0 ? "Time is up"
    : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left`;

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
    let cell = screen.charts.get(key);
    if (!cell) {
      cell = el("div", "cc-chart");
      cell.dataset.chart = key;
      screen.charts.set(key, cell);
    }
    cell.__ccFigure = figure;
    plotly().then((Plotly) => {
      if (cell.__ccFigure !== figure) return;  // a newer view came meanwhile
      if (!Plotly) {
        cell.textContent = "The charts could not be loaded. Reload the page to try again.";
        return;
      }
      const spec = JSON.parse(figure);
      Plotly.react(cell, spec.data || [], spec.layout || {}, { displayModeBar: false, responsive: true });
    });
    return cell;
  }

  function inTurn(items, perPage) {
    if (items.length <= perPage) return items;
    const pages = Math.ceil(items.length / perPage);
    const page = Math.floor(Date.now() / 1000 / screen.view.rotate) % pages;
    return items.slice(page * perPage, (page + 1) * perPage);
  }

  function numbers(view) {
    const row = el("div", "cc-numbers");
    for (const n of view.numbers) {
      const cell = el("div", "cc-number");
      cell.append(el("div", "cc-big", n.value), el("div", "cc-label", n.label));
      row.append(cell);
    }
    return row;
  }

  function wall(items) {
    const list = el("div", "cc-walls");
    for (const [theme, text] of inTurn(items, 3)) {
      const card = el("div", "cc-wall");
      card.append(el("div", "cc-label", theme), el("div", "cc-wall-text", text));
      list.append(card);
    }
    return list;
  }

  function qr(view, cls) {
    const image = el("img", cls);
    image.src = screen.data.qr;  // a data: URI the server made from the join link
    image.alt = `QR code to join: ${screen.data.join_url}`;
    return image;
  }

  function phaseLine() {
    const view = screen.view;
    let line = `Phase: ${view.label}`;
    if (screen.endsIn !== null) {
      const elapsed = Math.floor((Date.now() - screen.since) / 1000);
      line += ` · ⏱ ${left(screen.endsIn - elapsed)}`;
    }
    screen.line.textContent = line;
  }

  function draw() {
    const view = screen.view;
    screen.turn = Math.floor(Date.now() / 1000 / view.rotate);
    const header = el("div", "cc-header");
    const title = el("div", "cc-title");
    screen.line = el("div", "cc-label cc-phase");
    screen.line.setAttribute("role", "status");
    title.append(el("h1", null, view.title), screen.line);
    const join = el("div", "cc-join");
    join.append(el("div", "cc-label", "Join with code"), el("div", "cc-code", view.code));
    header.append(title, join);
    if (view.phase !== "lobby") header.append(qr(view, "cc-qr"));
    const body = [header];
    if (view.lobby) {
      const lobby = el("div", "cc-lobby");
      const info = el("div", "cc-lobby-info");
      const themes = el("ul");
      for (const theme of view.lobby.themes) themes.append(el("li", null, theme));
      const strategy = el("div", "cc-strategy", view.lobby.strategy);
      strategy.append(themes);
      info.append(el("div", "cc-label", "Open"), el("div", "cc-url", screen.data.join_url), numbers(view), strategy);
      lobby.append(qr(view, "cc-qr cc-qr-large"), info);
      body.push(lobby);
    } else {
      body.push(numbers(view));
      if (view.note) body.push(el("div", "cc-label cc-note", view.note));
      const cells = view.charts.map((c) => chart(c.key, c.figure));
      if (view.terms.length) {
        const [theme] = inTurn(view.terms, 1);
        cells.push(chart(`terms:${theme.theme}`, theme.figure));
      }
      if (view.wall.length) cells.push(wall(view.wall));
      const grid = el("div", cells.length > 1 ? "cc-grid" : "cc-single");
      grid.append(...cells);
      body.push(grid);
    }
    root.replaceChildren(...body);
    phaseLine();
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
      if (Math.floor(Date.now() / 1000 / screen.view.rotate) !== screen.turn) draw();
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
