/**
 * The browser's one way to use the dashboard's API: GET a route (or send it a body: a draft's
 * PUT), and on failure throw ApiError with the route's own words (every route answers `{ error }`
 * in a sentence) or, when the body is not that, the status. A JSON body is parsed with the route's wire schema (lib/api/wire): a body
 * of another shape is an ApiError naming the first field that is off, with every issue in its
 * details. A network failure surfaces as fetch's own TypeError.
 */

import type { z } from "zod";
import { apiErrorWire } from "../api/wire.ts";
import { BackstopError, type BackstopErrorOptions } from "../errors/backstopError.ts";
import { messageOf } from "../errors/messageOf.ts";

export class ApiError extends BackstopError {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    options?: BackstopErrorOptions,
  ) {
    super(message, options);
  }
}

async function send(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(path, { cache: "no-store", ...init });
  if (response.ok) return response;
  const body = apiErrorWire.safeParse(await response.json().catch(() => undefined));
  throw new ApiError(body.success ? body.data.error : `the dashboard server answered ${response.status}`, response.status);
}

/** The route's path without its query, for messages (the query may hold an account). */
const routeOf = (path: string) => path.split("?")[0]!;

/** A route's JSON body, parsed with its wire schema; `init` for another method than GET (a PUT or POST with its body). */
export async function fetchApiJson<Schema extends z.ZodType>(path: string, schema: Schema, init?: RequestInit): Promise<z.infer<Schema>> {
  const response = await send(path, init);
  let json: unknown;
  try {
    json = await response.json();
  } catch (cause) {
    throw new ApiError(`${routeOf(path)} answered a body that is not JSON`, response.status, { cause });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
  throw new ApiError(`${routeOf(path)} answered in an unexpected shape (${issues[0]})`, response.status, { details: issues.join("; "), cause: parsed.error });
}

/** A route's response once it answered 2xx, for a body read as it streams (POST /api/stress); `init` for the method, body and signal. */
export function fetchApiResponse(path: string, init?: RequestInit): Promise<Response> {
  return send(path, init);
}

/** A route's body as text: JSON with exact bigints (engine/serialize) that a worker parses itself. */
export async function fetchApiText(path: string): Promise<string> {
  return (await send(path)).text();
}

/** What a page says when GET /api/snapshot fails: the route's own words for a venue too big to send (413), else that the chain could not be read. */
export function snapshotFailure(error: unknown): string {
  return error instanceof ApiError && error.status === 413 ? messageOf(error) : `The chain could not be read: ${messageOf(error)}`;
}
