import { describe, expect, it } from "vitest";
import { proposalsAtom, xmlText } from "./proposalsAtom.ts";

describe("xmlText", () => {
  it.each([
    ["plain text stays", "Raise SOL-PERP margin", "Raise SOL-PERP margin"],
    ["markup is escaped", `<script>alert("x")</script>`, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"],
    ["an ampersand once, not twice", "a &amp; b", "a &amp;amp; b"],
    ["an apostrophe", "voters' say", "voters&apos; say"],
    ["control characters XML cannot carry are dropped; tab and newline stay", "a\u0000b\u0008c\td\ne\uFFFEf", "abc\td\nef"],
    ["characters beyond the BMP stay", "🛡️ Backstop", "🛡️ Backstop"],
    ["a lone surrogate is dropped", "a\uD800b", "ab"],
  ])("%s", (_, input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });
});

describe("proposalsAtom (fake entries)", () => {
  const base = { id: "urn:backstop:31337:0xg:proposals", title: "Proposals", selfUrl: "http://x/governance/feed.xml", siteUrl: "http://x/governance", updated: new Date("2026-01-01T00:00:00Z") };
  const entry = (n: number, updated: string) => ({ id: `urn:p:${n}`, title: `P${n} <&>`, link: `http://x/governance/${n}`, author: "0xabc", updated: new Date(updated), published: new Date("2025-12-01T00:00:00Z"), category: "Active", summary: "s", content: "c" });

  it("the feed's updated is its latest entry's, and every entry carries the elements Atom requires", () => {
    const xml = proposalsAtom({ ...base, entries: [entry(1, "2026-02-01T00:00:00Z"), entry(2, "2026-03-01T00:00:00Z")] });
    expect(xml.match(/<feed[^>]*>\s*<id>[^<]*<\/id>\s*<title>[^<]*<\/title>\s*<updated>([^<]*)<\/updated>/)?.[1]).toBe("2026-03-01T00:00:00.000Z");
    for (const e of xml.split("<entry>").slice(1)) for (const tag of ["id", "title", "updated", "author", "link"]) expect(e).toContain(`<${tag}`);
    expect(xml).toContain("<title type=\"text\">P1 &lt;&amp;&gt;</title>");
  });

  it("with no entries, the feed's updated is the one given", () => {
    expect(proposalsAtom({ ...base, entries: [] })).toContain("<updated>2026-01-01T00:00:00.000Z</updated>");
  });
});
