import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

const tooLarge = (limit: number): BffError =>
  new BffError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit} bytes`, { limit });

/**
 * Reads a request body as text without ever holding more than `limit` bytes: a declared
 * Content-Length above the limit is refused before a byte is read, and an undeclared (chunked) body
 * is cut off as soon as it passes the limit. `req.text()` would buffer whatever a client sends.
 */
export async function readBoundedText(req: Request, limit: number): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A bounded JSON body; empty is `undefined` (the schema decides whether that is allowed). */
export async function readBoundedJson(req: Request, limit: number): Promise<unknown> {
  const text = await readBoundedText(req, limit);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BffError(400, ErrorCode.INVALID_JSON, "The request body is not valid JSON");
  }
}
