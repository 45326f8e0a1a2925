import fc from "fast-check";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { compressParts, gzipWithSlots } from "./gzipSlots.ts";

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

it("decompresses (with Node's own gunzip) to the parts with each slot's bytes in between, for any parts and slots", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(bytes(3000), { minLength: 1, maxLength: 6 }).chain((parts) => fc.tuple(fc.constant(parts), fc.array(bytes(200), { minLength: parts.length - 1, maxLength: parts.length - 1 }))), async ([parts, slots]) => {
      const expected = Buffer.concat(parts.flatMap((p, i) => (i < slots.length ? [p, slots[i]!] : [p])));
      expect(gunzipSync(gzipWithSlots(await compressParts(parts), slots)).equals(expected)).toBe(true);
    }),
    { numRuns: 200, seed: 7 },
  );
});

it("one compression of a page serves many nonces, each decompressing to its own page; a slot longer than a stored block (64 KiB) is split", async () => {
  const page = Buffer.from(`<html><script nonce="N">a()</script>${"<tr><td>0x00</td></tr>".repeat(4000)}<script nonce="N">b()</script></html>`);
  const parts = page.toString().split("N").map((s) => Buffer.from(s));
  const compressed = await compressParts(parts);
  for (const nonce of ["MTIz", "ZGVhZGJlZWY=", "x".repeat(70_000)]) {
    const slots = Array.from({ length: parts.length - 1 }, () => Buffer.from(nonce));
    const gz = gzipWithSlots(compressed, slots);
    expect(gunzipSync(gz).toString()).toBe(page.toString().split("N").join(nonce));
    if (nonce.length < 100) expect(gz.length).toBeLessThan(page.length / 5); // the fixed parts stay compressed
  }
});

it("refuses a number of slots that does not fit the parts", async () => {
  const compressed = await compressParts([Buffer.from("a"), Buffer.from("b")]);
  expect(() => gzipWithSlots(compressed, [])).toThrow(/2 parts take 1 slots, not 0/);
});
