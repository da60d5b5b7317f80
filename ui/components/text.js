// The words a component shows, handed in by the page in the person's language (`data.text`,
// see ui.components): put before each component's own files.

function t(data, key, values) {
  // The text `key` in the person's language (`data.text`, handed in by the page), with each
  // `{name}` filled from `values`.
  let text = data.text[key];
  for (const [name, value] of Object.entries(values || {})) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

function tn(data, key, n, values) {
  // The form of `key` that the count `n` takes ("key_one" or "key_other"), `{n}` filled in.
  return t(data, n === 1 ? `${key}_one` : `${key}_other`, { n, ...values });
}
