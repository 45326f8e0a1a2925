/**
 * parseJsonBody(text, schema) — a POST body checked against a zod schema, or the first thing
 * wrong with it in one sentence naming the field.
 */

import type { z } from "zod";
import { quote } from "./parseQuery.ts";

export type ParseJsonBodyReturnType<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseJsonBody<T>(text: string, schema: z.ZodType<T>): ParseJsonBodyReturnType<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === "" ? "the body is empty: send a JSON object" : `the body is not JSON (it starts ${quote(text.slice(0, 20))})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const where = issue.path.map(String).join(".");
  return { ok: false, error: where ? `${where}: ${issue.message}` : issue.message };
}
