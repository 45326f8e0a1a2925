/**
 * parseJsonBody(request, schema, what) — a small JSON request body (at most 16 kB) parsed by a
 * zod schema, or the first thing wrong with it in one sentence.
 */

import type { z } from "zod";
import { readBodyText } from "./readBodyText.ts";

const MAX_BYTES = 16_000;

export type ParseJsonBodyReturnType<T> = { ok: true; value: T } | { ok: false; error: string };

export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, what: string): Promise<ParseJsonBodyReturnType<z.infer<S>>> {
  const body = await readBodyText(request, MAX_BYTES);
  if (!body.ok) return body;
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return { ok: false, error: `the body is not JSON: send ${what} as a JSON object` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return { ok: false, error: `${what}${where} ${issue.message}` };
}
