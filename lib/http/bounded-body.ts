import { ErrorCode } from "@/lib/defix/errors";

export type BoundedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false };

/**
 * Reads a request body of at most `maxBytes`. A declared Content-Length above the bound is refused before
 * a byte is read; a body without one (chunked) is read only up to the bound, then the stream is cancelled.
 */
export async function readBoundedBody(req: Request, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false };
  if (!req.body) return { ok: true, bytes: new Uint8Array() };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

export function payloadTooLarge(maxBytes: number): Response {
  return Response.json(
    { error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `The request body is larger than ${maxBytes} bytes.` } },
    // No `connection: close`: Node drains the unread rest, so a client still uploading reads this answer instead of EPIPE.
    { status: 413, headers: { "cache-control": "no-store" } },
  );
}
