// What the room chose: one card per need, most dotted first, with the person's own dots.
// The ranking arrives as one JSON text made once for the whole room.
export default mount(({ data, root }) => {
  const needs = JSON.parse(data.ranking);
  const list = el("ol", "cc-ranking");
  list.setAttribute("aria-label", "What the room chose");
  for (const need of needs) {
    const item = el("li", "cc-card");
    item.dataset.need = need.id;
    const mine = data.mine[String(need.id)] || 0;
    const parts = [need.theme, need.dots === 1 ? "1 dot" : `${need.dots} dots`, `${need.backers} backing`];
    if (mine) parts.push(`${mine} of yours`);
    item.append(el("p", "cc-text", `${need.rank}. ${need.text}`), el("p", "cc-caption", parts.join(" · ")));
    list.append(item);
  }
  root.append(list);
});
