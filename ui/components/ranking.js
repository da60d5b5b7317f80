// What the room chose: one card per need, most dotted first, with the person's own dots.
// The ranking arrives as one JSON text made once for the whole room.
export default mount(({ data, root }) => {
  const needs = JSON.parse(data.ranking);
  const list = el("ol", "cc-ranking");
  list.setAttribute("aria-label", t(data, "chose"));
  for (const need of needs) {
    const item = el("li", "cc-card");
    item.dataset.need = need.id;
    const mine = data.mine[String(need.id)] || 0;
    const parts = [need.theme, tn(data, "dots", need.dots), tn(data, "backing", need.backers)];
    if (mine) parts.push(t(data, "of_yours", { mine }));
    item.append(el("p", "cc-text", `${need.rank}. ${need.text}`), el("p", "cc-caption", parts.join(" · ")));
    list.append(item);
  }
  root.append(list);
});
