/**
 * parseQuery(searchParams, schema) — a route's query string checked against a zod schema, or
 * the first thing wrong with it in one sentence naming the parameter. A parameter the route does
 * not know, or one given twice, is refused rather than ignored: a typo (`acount=`) should not
 * silently answer a different question.
 */

import type { z } from "zod";

export type ParseQueryReturnType<T> = { ok: true; value: T } | { ok: false; error: string };

/** At most this many characters of a bad value go back in the message. */
const QUOTE_LIMIT = 80;

export function quote(value: string): string {
  const shown = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(shown);
}

export function parseQuery<T extends object>(
  searchParams: URLSearchParams,
  schema: z.ZodType<T>,
  known: readonly string[],
): ParseQueryReturnType<T> {
  const seen = new Map<string, number>();
  for (const key of searchParams.keys()) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const [key, count] of seen) {
    if (!known.includes(key)) {
      return { ok: false, error: known.length ? `unknown query parameter ${quote(key)}: this endpoint takes ${known.join(", ")}` : `unknown query parameter ${quote(key)}: this endpoint takes no query parameters` };
    }
    if (count > 1) return { ok: false, error: `query parameter ${key} is given ${count} times; give it once` };
  }
  const result = schema.safeParse(Object.fromEntries(searchParams));
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const where = issue.path.map(String).join(".");
  return { ok: false, error: where ? `${where}: ${issue.message}` : issue.message };
}
