// Usernames typed into a field: "bob, carol dave" → ['bob', 'carol', 'dave'] (deduplicated, in order).
export function parseUsernames(input: string, exclude: readonly string[] = []): string[] {
  const skip = new Set(exclude.map((u) => u.toLowerCase()));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(/[\s,，、;；]+/)) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (name === '' || skip.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

const listFormats = new Map<string, Intl.ListFormat>();

/** "alice", "alice and bob", "alice, bob, and carol" — in the UI language. */
export function formatNameList(names: readonly string[], language: string): string {
  let f = listFormats.get(language);
  if (!f) {
    f = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
    listFormats.set(language, f);
  }
  return f.format(names);
}
