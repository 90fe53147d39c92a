import { signSiwe } from "../../../lib/auth/script-siwe";
import { devAccount } from "../../../lib/chain/dev-accounts";
import { csrfFor, type WebUser } from "./client";

/** What one hostile probe did: how many requests it sent, how they were answered, and whether it got through. */
export interface ProbeOutcome {
  tried: number;
  refused: number;
  fiveXx: number;
  /** Answers a client could not read (socket closed under it: EPIPE, reset, "fetch failed"). */
  unreadable: number;
  /** The probe's safety condition failed (it got something it must not get); says what. */
  breach: string | null;
}

/**
 * The attacker is `outsider` (a wallet with no role) or no one; `manager` is the user whose latency is
 * measured, so no probe spends the manager's own request budget. The nonce flood runs first: later
 * sign-in probes, repeated for seconds, spend this machine's sign-in budget, which the victim needs.
 */
export interface ProbeContext {
  web: string;
  chainId: number;
  oms: string;
  /** A signed-in manager (the victim of cross-site probes). */
  manager: WebUser;
  /** A signed-in wallet with no role on any vault (the attacker). */
  outsider: WebUser;
  outsiderToken: string;
  vaultId: string;
  intentId: string;
}

export interface Probe {
  name: string;
  /** Many requests on purpose (a flood): what another user sees is reported, not held to the single-request target. */
  isFlood?: boolean;
  surface: "sign-in" | "token" | "BFF" | "runner proxy" | "OMS" | "JSON-RPC" | "cross-site" | "streams";
  run(ctx: ProbeContext): Promise<ProbeOutcome>;
}

const MB = 1024 * 1024;

export function tally(results: Array<number | "unreadable">, breach: string | null = null): ProbeOutcome {
  const statuses = results.filter((r): r is number => r !== "unreadable");
  return {
    tried: results.length,
    refused: statuses.filter((s) => s >= 400 && s < 500).length,
    fiveXx: statuses.filter((s) => s >= 500).length,
    unreadable: results.length - statuses.length,
    breach,
  };
}

/** Status of a request whose body may be refused mid-upload; a socket error counts as unreadable. */
export async function statusOf(url: URL | string, init: RequestInit): Promise<number | "unreadable"> {
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return "unreadable";
  }
}

/** Status of a signed-in user's request, the same way: a socket error counts as unreadable. */
async function userStatus(user: WebUser, path: string, init: RequestInit = {}): Promise<number | "unreadable"> {
  try {
    const response = await user.fetch(path, init);
    await response.body?.cancel();
    return response.status;
  } catch {
    return "unreadable";
  }
}

/** A body that is produced while it is sent (chunked, no Content-Length). */
function streamedBody(bytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  });
}

const streaming = (body: ReadableStream<Uint8Array>) => ({ body, duplex: "half" }) as RequestInit;
const quadraticSiwe = "URI: ".repeat((146 * 1024) / 5);
const json = { "content-type": "application/json" };

export const PROBES: Probe[] = [
  {
    name: "nonce flood, 12,000 requests from one client",
    surface: "sign-in",
    isFlood: true,
    async run({ web, chainId }) {
      const url = new URL("/api/auth/nonce", web);
      const victim = (await (await fetch(url, { method: "POST" })).json()) as { nonce?: string };
      const results: Array<number | "unreadable"> = [];
      for (let batch = 0; batch < 120; batch += 1) {
        results.push(...(await Promise.all(Array.from({ length: 100 }, () => statusOf(url, { method: "POST" })))));
      }
      if (!victim.nonce) return tally(results, "the victim got no nonce before the flood");
      // The victim signs in with the nonce it was given before the flood: it must still be valid.
      const signed = await signSiwe(devAccount(1), { base: new URL(web), chainId, nonce: victim.nonce });
      const redeemed = await statusOf(new URL("/api/auth/token", web), {
        method: "POST",
        headers: json,
        body: JSON.stringify(signed),
      });
      return tally(results, redeemed === 200 ? null : `the victim's sign-in failed after the flood (${redeemed})`);
    },
  },
  {
    name: "credentials callback, 146 KiB SIWE message of 'URI: '",
    surface: "sign-in",
    async run({ web }) {
      const csrf = await csrfFor(web);
      const body = new URLSearchParams({
        csrfToken: csrf.token,
        message: quadraticSiwe,
        signature: "0x00",
        json: "true",
      });
      const status = await statusOf(new URL("/api/auth/callback/credentials", web), {
        method: "POST",
        body,
        headers: { cookie: csrf.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      return tally([status]);
    },
  },
  {
    name: "credentials callback, 5 MB streamed body",
    surface: "sign-in",
    async run({ web }) {
      const status = await statusOf(new URL("/api/auth/callback/credentials", web), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        ...streaming(streamedBody(5 * MB)),
      });
      return tally([status]);
    },
  },
  {
    name: "token exchange, 146 KiB SIWE message / 5 MB body",
    surface: "token",
    async run({ web }) {
      const url = new URL("/api/auth/token", web);
      return tally([
        await statusOf(url, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ message: quadraticSiwe, signature: "0x00" }),
        }),
        await statusOf(url, { method: "POST", headers: json, body: "x".repeat(5 * MB) }),
      ]);
    },
  },
  {
    name: "open redirect after sign-in (callbackUrl with a TAB)",
    surface: "sign-in",
    async run({ web, manager }) {
      const response = await manager.fetch("/signin?callbackUrl=%2F%09%2Fevil.example%2Fx");
      await response.body?.cancel();
      const location = response.headers.get("location");
      const target = location ? new URL(location, web) : null;
      const isOffOrigin = target !== null && target.origin !== new URL(web).origin;
      return tally([isOffOrigin ? 200 : 400], isOffOrigin ? `redirected to ${target?.href}` : null);
    },
  },
  {
    name: "BFF cancel with a 5 MB streamed body",
    surface: "BFF",
    async run({ outsider, intentId }) {
      const status = await userStatus(outsider, `/api/oms/intents/${intentId}/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
        ...streaming(streamedBody(5 * MB)),
      });
      return tally([status]);
    },
  },
  {
    name: "BFF history with 5,000 repeated query keys / a 64 KiB URL",
    surface: "BFF",
    async run({ outsider }) {
      const keys = Array.from({ length: 5_000 }, () => "state=ACKED").join("&");
      const long = `/api/oms/intents?cursor=${"a".repeat(64 * 1024)}`;
      const results: Array<number | "unreadable"> = [];
      for (const path of [`/api/oms/intents?${keys}`, long]) {
        results.push(await userStatus(outsider, path));
      }
      return tally(results);
    },
  },
  {
    name: "runner proxy, 5 MB streamed body",
    surface: "runner proxy",
    async run({ outsider, vaultId }) {
      const status = await userStatus(outsider, `/api/runner/vaults/${encodeURIComponent(vaultId)}/kill-switch`, {
        method: "PUT",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
        ...streaming(streamedBody(5 * MB)),
      });
      return tally([status]);
    },
  },
  {
    name: "OMS submit, 5 MB body (declared and streamed)",
    surface: "OMS",
    async run({ oms, outsiderToken }) {
      const url = new URL("/defix/intents", oms);
      const headers = { ...json, authorization: `Bearer ${outsiderToken}` };
      return tally([
        await statusOf(url, { method: "POST", headers, body: `{"pad":"${"x".repeat(5 * MB)}"}` }),
        await statusOf(url, { method: "POST", headers, ...streaming(streamedBody(5 * MB)) }),
      ]);
    },
  },
  {
    name: "OMS submit, JSON nested 50,000 deep",
    surface: "OMS",
    async run({ oms, outsiderToken }) {
      const body = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
      return tally([
        await statusOf(new URL("/defix/intents", oms), {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${outsiderToken}` },
          body,
        }),
      ]);
    },
  },
  {
    name: "JSON-RPC batch of 10,000 calls / unauthenticated 1 MB param",
    surface: "JSON-RPC",
    async run({ oms, outsiderToken }) {
      const url = new URL("/defix/rpc", oms);
      const batch = Array.from({ length: 10_000 }, (_, id) => ({
        jsonrpc: "2.0",
        id,
        method: "getIntentStatus",
        params: ["x"],
      }));
      return tally([
        await statusOf(url, {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${outsiderToken}` },
          body: JSON.stringify(batch),
        }),
        await statusOf(url, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getIntentStatus", params: ["x".repeat(MB)] }),
        }),
      ]);
    },
  },
  {
    name: "500 SSE streams from a wallet with no role (BFF and OMS)",
    surface: "streams",
    isFlood: true,
    async run({ outsider, oms, outsiderToken }) {
      const open: Response[] = [];
      const results: Array<number | "unreadable"> = [];
      const keep = (response: Response): number => {
        if (response.ok) open.push(response);
        else void response.body?.cancel();
        return response.status;
      };
      for (let i = 0; i < 250; i += 1) {
        results.push(
          await outsider
            .fetch("/api/oms/stream", { headers: { accept: "text/event-stream" } })
            .then(keep)
            .catch(() => "unreadable" as const),
          await fetch(new URL("/defix/stream", oms), {
            headers: { accept: "text/event-stream", authorization: `Bearer ${outsiderToken}` },
          })
            .then(keep)
            .catch(() => "unreadable" as const),
        );
      }
      await Promise.all(open.map((response) => response.body?.cancel()));
      const accepted = results.filter((r) => r === 200).length;
      return tally(results, accepted > 100 ? `${accepted} of 500 streams were opened` : null);
    },
  },
];
