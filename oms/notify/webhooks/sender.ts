import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { DomainError } from "../../kernel/errors";
import { parseWebhookUrl, type Resolver, resolveTarget, systemResolver, type TargetPolicy } from "./ssrf";

/** Bytes of a response body kept for the delivery log; the rest is not read. */
export const EXCERPT_BYTES = 1_024;
const USER_AGENT = "DeFiX-Webhooks/1";

export interface SendOutcome {
  statusCode: number | null;
  latencyMs: number;
  /** The response's first bytes, sanitized (see `sanitizeExcerpt`). */
  excerpt: string;
  /** Why it did not succeed (null on a 2xx). */
  error: string | null;
  succeeded: boolean;
}

/** Printable text only: control characters (but newlines and tabs) become spaces, and it is bounded. */
export function sanitizeExcerpt(bytes: Buffer): string {
  return (
    bytes
      .subarray(0, EXCERPT_BYTES)
      .toString("utf8")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, " ")
      .trim()
  );
}

/**
 * POSTs one signed delivery. The host is resolved and checked here (SSRF rules) and the socket is
 * pinned to the checked addresses through `lookup`, so a second DNS answer is never used. No redirect
 * is followed (a 3xx is a failure that says so); the whole exchange is bounded by `timeoutMs`.
 */
export async function sendWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: TargetPolicy;
  resolve?: Resolver;
}): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let addresses: { address: string; family: 4 | 6 }[];
  let url: URL;
  try {
    url = parseWebhookUrl(input.url, input.policy);
    addresses = await resolveTarget(url.hostname, input.policy, input.resolve ?? systemResolver);
  } catch (error) {
    const message = error instanceof DomainError ? `${error.code}: ${error.message}` : String(error);
    return { statusCode: null, latencyMs: elapsed(), excerpt: "", error: message, succeeded: false };
  }
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else {
      const first = addresses[0];
      if (first) callback(null, first.address, first.family);
      else callback(new Error("no checked address"), "", 4);
    }
  };
  return new Promise<SendOutcome>((resolve) => {
    let isSettled = false;
    const settle = (outcome: Omit<SendOutcome, "latencyMs">) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...outcome, latencyMs: elapsed() });
    };
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      lookup: pinned,
      headers: {
        ...input.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(input.body)),
        "user-agent": USER_AGENT,
      },
      agent: false,
    });
    const timer = setTimeout(
      () =>
        settle({
          statusCode: null,
          excerpt: "",
          error: `timed out after ${input.timeoutMs} ms`,
          succeeded: false,
        }),
      input.timeoutMs,
    );
    request.on("error", (error: NodeJS.ErrnoException) =>
      settle({ statusCode: null, excerpt: "", error: error.code ?? error.message, succeeded: false }),
    );
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        const isOk = status >= 200 && status < 300;
        const error = isOk
          ? null
          : status >= 300 && status < 400
            ? `redirect to ${response.headers.location ?? "?"} not followed`
            : `HTTP ${status}`;
        settle({ statusCode: status, excerpt: sanitizeExcerpt(Buffer.concat(chunks)), error, succeeded: isOk });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) finish();
      });
      response.on("end", finish);
      response.on("error", finish);
    });
    request.end(input.body);
  });
}
