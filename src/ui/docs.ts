/**
 * The docs served with the site (rendered from docs/*.md at build time by
 * scripts/site-content.ts): their addresses, and help texts with every `docs/<name>.md` they
 * cite turned into a link a user can open.
 */
export const SERVED_DOC_NAMES = ['results', 'algorithms', 'inside', 'decisions', 'performance', 'presets'] as const;
export type DocName = (typeof SERVED_DOC_NAMES)[number];

export const docLink = (name: DocName, hash = ''): string => `${import.meta.env.BASE_URL}docs/${name}.html${hash}`;

/** A help text cut into plain text and doc citations (`docs/inside.md` → a link to its page). */
export function splitDocCitations(text: string): ({ text: string } | { text: string; href: string })[] {
  const parts: ({ text: string } | { text: string; href: string })[] = [];
  const re = /docs\/([\w-]+)\.md/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!(SERVED_DOC_NAMES as readonly string[]).includes(m[1]!)) continue;
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: m[0], href: docLink(m[1] as DocName) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
