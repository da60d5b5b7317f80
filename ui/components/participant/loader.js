// The component the Participate page draws: it imports the app (app.js) from the files the
// server hands out under a name made of their content (`data.base`), so the browser keeps
// them, and lets it go when the page takes the component down.
export default function (component) {
  const base = new URL(component.data.base, document.baseURI).href;
  const started = import(base + "app.js").then((app) => app.mount(component, base));
  return () => { started.then((stop) => { if (typeof stop === "function") stop(); }); };
}
