// What on the projector's screen cannot be read from the back of a room: every text shown
// (HTML and the charts' SVG) smaller than `least` px, cut by an edge (its panel's, the
// screen's, a chart's or a plot area's), or lying over another text of the same chart.
// Read by tests/e2e/test_projector.py; answers a list of findings, empty when all is well.
// Elsewhere (Review's charts) it is given {least, within}: `within` names the part of the
// page to look at, and only its charts are looked at.
(given) => {
  const least = typeof given === "number" ? given : given.least;
  const within = typeof given === "number" ? null : given.within;
  const found = [];
  const name = (node) => {
    const text = (node.textContent || "").trim().slice(0, 40);
    return `${node.tagName.toLowerCase()}.${(node.getAttribute("class") || "").split(" ")[0]} "${text}"`;
  };
  const shown = (node) => {
    for (let at = node; at && at.nodeType === 1; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
    }
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const inside = (box, frame) =>
    box.left >= frame.left - 1 && box.top >= frame.top - 1 && box.right <= frame.right + 1 && box.bottom <= frame.bottom + 1;
  const screen = document.querySelector(within || ".cc-screen");
  if (!screen) return [`nothing found at ${within || ".cc-screen"}`];
  const frame = within ? { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity }
    : { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  // HTML text: each element holding text of its own.
  for (const node of within ? [] : screen.querySelectorAll("*")) {
    if (node.closest("svg")) continue;
    const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !shown(node)) continue;
    const size = parseFloat(getComputedStyle(node).fontSize);
    if (size < least - 0.5) found.push(`${name(node)}: ${size.toFixed(1)} px`);
    const box = node.getBoundingClientRect();
    if (!inside(box, frame)) found.push(`${name(node)}: off the screen`);
    for (let up = node.parentElement; up && up !== screen; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (/(hidden|clip)/.test(style.overflowX + style.overflowY) && !inside(box, up.getBoundingClientRect())) {
        found.push(`${name(node)}: cut by ${name(up)}`);
        break;
      }
    }
  }
  // The charts' text: its size, inside its chart, inside its plot area when it is data,
  // and over no other text of the chart.
  for (const chart of screen.querySelectorAll(".js-plotly-plot")) {
    const bounds = chart.getBoundingClientRect();
    const area = chart.querySelector(".nsewdrag");
    const plot = area ? area.getBoundingClientRect() : null;
    const texts = [...chart.querySelectorAll("text")].filter((t) => t.textContent.trim() && shown(t));
    const boxes = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (size < least - 0.5) found.push(`${name(t)}: ${size.toFixed(1)} px`);
      if (!inside(boxes[i], bounds) || !inside(boxes[i], frame)) found.push(`${name(t)}: cut by the chart's edge`);
      if (plot && t.closest(".plot") && !inside(boxes[i], plot)) found.push(`${name(t)}: cut by the plot area`);
      for (let j = 0; j < i; j++) {
        const a = boxes[i], b = boxes[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) found.push(`${name(t)} over ${name(texts[j])}`);
      }
    });
    if (plot) {
      for (const point of chart.querySelectorAll(".plot .point")) {
        if (shown(point) && !inside(point.getBoundingClientRect(), plot)) found.push(`a marker cut by the plot area`);
      }
    }
  }
  return found;
}
