/** What a caught value says: an Error's message, anything else as a string (a thrown string, a rejection reason). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
