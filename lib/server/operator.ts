/**
 * Who may manage webhook subscriptions: the operator, by BACKSTOP_ADMIN_TOKEN — as a bearer token
 * (`Authorization: Bearer …`, for scripts) or in the httpOnly, SameSite=Strict cookie the
 * /notifications page's sign-in sets. Not a wallet signature: a subscription makes this server
 * send requests to an address of the subscriber's choosing, at the operator's cost and from the
 * operator's network, and its log holds webhook URLs that are themselves secrets (a Slack or
 * Discord webhook URL lets anyone post); any wallet can sign, so a signature would authorise
 * everyone. Without BACKSTOP_ADMIN_TOKEN nobody manages subscriptions (the page says so);
 * readers without an operator follow the Atom feed (/governance/feed.xml).
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { apiError } from "../api/apiError.ts";

export const OPERATOR_COOKIE = "backstop-operator";

export function operatorToken(): string | undefined {
  return process.env.BACKSTOP_ADMIN_TOKEN || undefined;
}

/** Whether `given` is the operator token (compared in constant time). */
export function isOperatorToken(given: string | undefined | null): boolean {
  const token = operatorToken();
  if (!token || !given) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The sign-in cookie's value in a Cookie header. */
export function operatorCookie(cookieHeader: string | null | undefined): string | undefined {
  const value = cookieHeader?.split(";").map((c) => c.trim()).find((c) => c.startsWith(`${OPERATOR_COOKIE}=`))?.slice(OPERATOR_COOKIE.length + 1);
  return value === undefined ? undefined : decodeURIComponent(value);
}

/** Whether a request carries the operator token, as a bearer token or the sign-in cookie. */
export function isOperatorRequest(headers: Headers): boolean {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  return isOperatorToken(bearer ?? operatorCookie(headers.get("cookie")));
}

/** The answer to a notifications API request that is not the operator's (403 or 401, in words), or undefined for one that is. */
export function operatorRefusal(request: Request): Response | undefined {
  if (!operatorToken()) return apiError(403, "webhook subscriptions are managed by this server's operator, and it has no BACKSTOP_ADMIN_TOKEN set: set one and restart it");
  if (isOperatorRequest(request.headers)) return undefined;
  return apiError(401, "only the operator manages webhook subscriptions: sign in on /notifications with BACKSTOP_ADMIN_TOKEN, or send it as a bearer token");
}
