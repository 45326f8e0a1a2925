/**
 * Snapshots and engine results as JSON and back: bigints become decimal strings tagged so they
 * round-trip exactly (`{"$bigint":"123"}`), everything else stays as it is. Used by the CLI's
 * --json, by server → client props and by the Web Worker boundary.
 */

const TAG = "$bigint";

/** JSON text of any engine value; bigints survive exactly. */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? { [TAG]: v.toString() } : v), space);
}

/** The value toJson wrote. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === TAG) {
        const digits = (v as Record<string, unknown>)[TAG];
        if (typeof digits === "string" && /^-?\d+$/.test(digits)) return BigInt(digits);
      }
    }
    return v;
  }) as T;
}

/** Plain JSON for people and other tools: bigints as decimal strings, untagged. */
export function toPlainJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), space);
}
