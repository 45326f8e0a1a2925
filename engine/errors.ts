/**
 * The one error base of Backstop, engine and application alike (viem's BaseError is the model):
 * `message` is the short sentence a user reads — what went wrong, in words, no selector, no stack —
 * `details` optionally says more for a log or an expanded panel, and `cause` keeps the error this
 * one wraps. The engine throws it for bad input and arithmetic it refuses; lib/, the CLI and the
 * scripts extend it, so a catch can tell our own sentences from a library's raw text.
 */

/** What a BackstopError carries beside its short message. */
export interface BackstopErrorOptions {
  /** More about the failure than the short message says: the offending value, the raw reason. */
  details?: string;
  /** The error this one wraps (a viem error, a failed fetch, a zod issue list). */
  cause?: unknown;
}

/**
 * An error whose message is a short sentence for users, with optional details and the cause it
 * wraps. `shortMessage` equals `message`, under the name viem's errors use, so code that reads
 * either kind reads one field.
 */
export class BackstopError extends Error {
  override name = "BackstopError";
  /** The same sentence as `message`, under viem's name for it. */
  readonly shortMessage: string;
  readonly details?: string;

  constructor(shortMessage: string, options: BackstopErrorOptions = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    if (options.details !== undefined) this.details = options.details;
  }
}
