/**
 * A JSON request body checked against a zod schema, or the first thing wrong with it in one
 * sentence naming the field:
 * - parseJsonText(text, schema): text already read (the relay's routes read it with their own
 *   limit); "field.sub: message".
 * - parseJsonBody(request, schema, what): reads a small body (at most 16 kB) itself; the message
 *   names the body as `what` ("subscription.events[0] must …").
 */

import type { z } from "zod";
import { quote } from "./parseQuery.ts";
import { readBodyText } from "./readBodyText.ts";

const MAX_BYTES = 16_000;

export type ParseJsonBodyReturnType<T> = { ok: true; value: T } | { ok: false; error: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; notJson: true } | { ok: false; notJson: false; issue: z.core.$ZodIssue };

function parseWith<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, notJson: true };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, notJson: false, issue: result.error.issues[0]! };
}

export function parseJsonText<T>(text: string, schema: z.ZodType<T>): ParseJsonBodyReturnType<T> {
  const parsed = parseWith(text, schema);
  if (parsed.ok) return parsed;
  if (parsed.notJson) return { ok: false, error: text.trim() === "" ? "the body is empty: send a JSON object" : `the body is not JSON (it starts ${quote(text.slice(0, 20))})` };
  const where = parsed.issue.path.map(String).join(".");
  return { ok: false, error: where ? `${where}: ${parsed.issue.message}` : parsed.issue.message };
}

export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>, what: string): Promise<ParseJsonBodyReturnType<T>> {
  const body = await readBodyText(request, MAX_BYTES);
  if (!body.ok) return body;
  const parsed = parseWith(body.text, schema);
  if (parsed.ok) return parsed;
  if (parsed.notJson) return { ok: false, error: `the body is not JSON: send ${what} as a JSON object` };
  const where = parsed.issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return { ok: false, error: `${what}${where} ${parsed.issue.message}` };
}
