// The words the app shows, handed in by Python in both languages (ui/components/participant).

export function t(words, key, values) {
  // The text `key` in the person's language, with each `{name}` filled from `values`.
  let text = words[key];
  if (text === undefined) return key;
  for (const [name, value] of Object.entries(values || {})) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

export function tn(words, key, n, values) {
  // The form of `key` that the count `n` takes ("key_one" or "key_other"), `{n}` filled in.
  return t(words, n === 1 ? `${key}_one` : `${key}_other`, { n, ...values });
}
