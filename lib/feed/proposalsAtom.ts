/**
 * proposalsAtom({ id, title, selfUrl, siteUrl, entries }) — an Atom 1.0 feed (RFC 4287) of
 * governance proposals, for readers without webhooks: one entry per proposal with its id, title,
 * link, author (the proposer), `updated` (when its state last changed), its state and tally as
 * the summary and its description as content. All text is escaped as XML character data and
 * stripped of the control characters XML 1.0 cannot carry at all, so a proposal's description
 * (anyone can write one) can neither break the feed nor inject markup into it.
 */

export interface AtomEntry {
  id: string;
  title: string;
  link: string;
  author: string;
  updated: Date;
  published: Date;
  /** Categories: the proposal's state. */
  category: string;
  summary: string;
  content: string;
}

export interface ProposalsAtomParameters {
  id: string;
  title: string;
  selfUrl: string;
  siteUrl: string;
  /** When the feed last changed: used when there are no entries (else the latest entry's). */
  updated: Date;
  entries: readonly AtomEntry[];
}

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

export function proposalsAtom({ id, title, selfUrl, siteUrl, updated, entries }: ProposalsAtomParameters): string {
  const latest = entries.reduce((t, e) => (e.updated > t ? e.updated : t), entries.length ? new Date(0) : updated);
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>${xmlText(id)}</id>`,
    `  <title>${xmlText(title)}</title>`,
    `  <updated>${latest.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(siteUrl)}"/>`,
    `  <generator>Backstop</generator>`,
    ...entries.flatMap((e) => [
      `  <entry>`,
      `    <id>${xmlText(e.id)}</id>`,
      `    <title type="text">${xmlText(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>`,
      `    <author><name>${xmlText(e.author)}</name></author>`,
      `    <published>${e.published.toISOString()}</published>`,
      `    <updated>${e.updated.toISOString()}</updated>`,
      `    <category term="${xmlText(e.category)}"/>`,
      `    <summary type="text">${xmlText(e.summary)}</summary>`,
      `    <content type="text">${xmlText(e.content)}</content>`,
      `  </entry>`,
    ]),
    `</feed>`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Text as XML character data or an attribute value: the five special characters escaped, characters XML 1.0 forbids removed. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}
