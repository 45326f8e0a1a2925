/**
 * readBodyText(request, maxBytes) — a request body as UTF-8 text, read no further than
 * `maxBytes` (a declared or streamed body beyond it is refused without buffering the rest).
 */

export type ReadBodyTextReturnType = { ok: true; text: string } | { ok: false; error: string };

export async function readBodyText(request: Request, maxBytes: number): Promise<ReadBodyTextReturnType> {
  const tooLarge = (bytes: number | string) => ({ ok: false as const, error: `the body is ${bytes} bytes; at most ${maxBytes} are accepted` });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return tooLarge(declared);
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return tooLarge(`more than ${maxBytes}`);
    }
    chunks.push(value);
  }
  return { ok: true, text: new TextDecoder().decode(Buffer.concat(chunks)) };
}
