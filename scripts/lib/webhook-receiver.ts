import { appendFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * A small local webhook receiver: `npm start` runs one so a new user can watch signed deliveries
 * arrive (GET / shows them, JSON with `?format=json`), and the tests, the reliability harness and the
 * bench use it as a real HTTP target. Each delivery is checked with the `standardwebhooks` verifier
 * against the secrets it was given (at start, or pasted into its page).
 */
export interface ReceivedWebhook {
  /** The path it was posted to (endpoints of one receiver differ by path). */
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  type: string | null;
  body: unknown;
  raw: string;
  /** Null while no secret is known to check it with. */
  verified: boolean | null;
  /** The status this receiver answered. */
  status: number;
  received_at: string;
  /** Milliseconds since epoch, for latency figures. */
  received_ms: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  addSecret(secret: string): void;
  /** The status to answer the nth (1-based) request with; default 200 for all. */
  respondWith(rule: (n: number, delivery: ReceivedWebhook) => number): void;
  /** Resolves once `predicate` holds over the successfully answered deliveries. */
  waitFor(predicate: (accepted: ReceivedWebhook[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;
const MAX_KEPT = 5_000;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export async function startWebhookReceiver(
  options: { port?: number; secrets?: string[]; logFile?: string; quiet?: boolean } = {},
): Promise<WebhookReceiver> {
  const verifiers = (options.secrets ?? []).map((secret) => new Webhook(secret));
  const received: ReceivedWebhook[] = [];
  let rule: (n: number, delivery: ReceivedWebhook) => number = () => 200;
  let count = 0;
  const waiters = new Set<() => void>();

  const verify = (raw: string, headers: Record<string, string>): boolean | null => {
    if (verifiers.length === 0) return null;
    return verifiers.some((verifier) => {
      try {
        verifier.verify(raw, headers);
        return true;
      } catch {
        // Not this secret (or a bad signature): the next one may match; false overall when none does.
        return false;
      }
    });
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (request.method === "GET") return page(request.url ?? "/", response);
      if (request.method === "POST" && request.url === "/secrets") {
        const secret = new URLSearchParams(raw).get("secret")?.trim() ?? "";
        if (/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) verifiers.push(new Webhook(secret));
        response.writeHead(303, { location: "/" }).end();
        return;
      }
      const header = (name: string) => String(request.headers[name] ?? "");
      const headers = {
        "webhook-id": header("webhook-id"),
        "webhook-timestamp": header("webhook-timestamp"),
        "webhook-signature": header("webhook-signature"),
      };
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      const type = body && typeof body === "object" && "type" in body ? String((body as { type: unknown }).type) : null;
      const delivery: ReceivedWebhook = {
        path: request.url ?? "/",
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        type,
        body,
        raw,
        verified: verify(raw, headers),
        status: 0,
        received_at: new Date().toISOString(),
        received_ms: Date.now(),
      };
      count += 1;
      delivery.status = rule(count, delivery);
      received.push(delivery);
      if (received.length > MAX_KEPT) received.shift();
      if (options.logFile) appendFileSync(options.logFile, `${JSON.stringify({ ...delivery, raw: undefined })}\n`);
      if (!options.quiet) {
        const check =
          delivery.verified === null ? "signature not checked" : delivery.verified ? "verified" : "BAD SIGNATURE";
        console.log(`webhook ${delivery.id} ${type ?? "?"} → ${delivery.status} (${check})`);
      }
      response.writeHead(delivery.status, { "content-type": "application/json" });
      response.end(JSON.stringify({ received: delivery.status < 300 }));
      for (const waiter of [...waiters]) waiter();
    });
  });

  function page(url: string, response: http.ServerResponse): void {
    const latest = received.slice(-100).reverse();
    if (url.includes("format=json")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ received: latest.map((item) => ({ ...item, raw: undefined })) }, null, 2));
      return;
    }
    const rows = latest
      .map(
        (item) =>
          `<tr><td>${escapeHtml(item.received_at)}</td><td>${escapeHtml(item.type ?? "?")}</td><td>${escapeHtml(item.id)}</td><td>${item.status}</td><td>${item.verified === null ? "not checked" : item.verified ? "verified" : "<b>bad signature</b>"}</td><td><code>${escapeHtml(JSON.stringify((item.body as { text?: unknown } | null)?.text ?? ""))}</code></td></tr>`,
      )
      .join("");
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DeFiX webhook receiver</title>
<meta http-equiv="refresh" content="5"></head><body style="font-family:sans-serif">
<h1>DeFiX local webhook receiver</h1>
<p>Subscribe <code>${escapeHtml(`http://127.0.0.1:${port}/`)}</code> on a vault's Webhooks page. ${verifiers.length} secret(s) known for checking signatures.</p>
<form method="post" action="/secrets"><label>Add the secret shown at creation to verify signatures: <input name="secret" placeholder="whsec_…" size="50"></label> <button>Add</button></form>
<table border="1" cellpadding="4"><thead><tr><th>Received</th><th>Type</th><th>webhook-id</th><th>Answered</th><th>Signature</th><th>text</th></tr></thead><tbody>${rows || '<tr><td colspan="6">Nothing yet.</td></tr>'}</tbody></table>
</body></html>`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    received,
    addSecret: (secret) => verifiers.push(new Webhook(secret)),
    respondWith(next) {
      rule = next;
    },
    waitFor(predicate, what, timeoutMs = 30_000) {
      const accepted = () => received.filter((item) => item.status < 300);
      if (predicate(accepted())) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(accepted())) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook receiver: timed out waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
