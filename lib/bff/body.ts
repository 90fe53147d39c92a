import { ErrorCode } from "@/lib/defix/errors";
import { readBoundedBody } from "@/lib/http/bounded-body";
import { BffError } from "./errors";

/**
 * A bounded JSON body (`readBoundedBody`: a declared oversize body is refused unread, a chunked one cut
 * off at the limit); empty is `undefined`, and the schema decides whether that is allowed.
 */
export async function readBoundedJson(req: Request, limit: number): Promise<unknown> {
  const body = await readBoundedBody(req, limit);
  if (!body.ok) {
    throw new BffError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit} bytes`, { limit });
  }
  const text = new TextDecoder().decode(body.bytes);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BffError(400, ErrorCode.INVALID_JSON, "The request body is not valid JSON");
  }
}
