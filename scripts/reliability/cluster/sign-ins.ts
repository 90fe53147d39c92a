import { signSiwe } from "../../../lib/auth/script-siwe";
import { devAccount } from "../../../lib/chain/dev-accounts";

export interface SignInTally {
  /** Tokens issued: nonce from one dashboard, SIWE redeemed at another. */
  ok: number;
  /** Failed sign-ins, by step and answer ("nonce 503", "token 401 …", "oms 401"). */
  failed: Record<string, number>;
  /** The same signed nonce sent again to the dashboard that issued it: must be refused every time. */
  replaysRefused: number;
  replaysAccepted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signs dev accounts in through the dashboards the way `npm run token` does, alternating instances: the
 * nonce comes from dashboard i, the signed message is redeemed at dashboard i+1 (so the nonce crosses
 * instances through Redis), then replayed at dashboard i (it must be refused: a nonce is used once), and
 * the token is tried on the OMS. Runs until stopped.
 */
export function startSignIns(options: {
  dashboards: readonly string[];
  /** The origin the SIWE message names (the dashboards' NEXTAUTH_URL). */
  siweOrigin: string;
  chainId: number;
  accounts: readonly number[];
  omsUrl: string;
  gapMs: number;
}): { tally: SignInTally; stop(): Promise<void> } {
  const tally: SignInTally = { ok: 0, failed: {}, replaysRefused: 0, replaysAccepted: 0 };
  const fail = (key: string) => {
    tally.failed[key] = (tally.failed[key] ?? 0) + 1;
  };
  let isRunning = true;

  async function signInOnce(round: number): Promise<void> {
    const issuer = options.dashboards[round % options.dashboards.length] ?? "";
    const redeemer = options.dashboards[(round + 1) % options.dashboards.length] ?? "";
    const account = devAccount(options.accounts[round % options.accounts.length] ?? 1);
    const nonceAnswer = await fetch(`${issuer}/api/auth/nonce`, { method: "POST" });
    if (!nonceAnswer.ok) return fail(`nonce ${nonceAnswer.status}`);
    const { nonce } = (await nonceAnswer.json()) as { nonce: string };
    const signed = await signSiwe(account, { base: new URL(options.siweOrigin), chainId: options.chainId, nonce });
    const redeem = (at: string) =>
      fetch(`${at}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(signed),
      });
    const answer = await redeem(redeemer);
    const body = (await answer.json()) as { token?: string; error?: { code?: string } };
    if (!answer.ok || !body.token) return fail(`token ${answer.status} ${body.error?.code ?? ""}`.trim());
    const replay = await redeem(issuer);
    await replay.arrayBuffer();
    if (replay.ok) tally.replaysAccepted++;
    else tally.replaysRefused++;
    const oms = await fetch(`${options.omsUrl}/defix/vaults`, { headers: { authorization: `Bearer ${body.token}` } });
    await oms.arrayBuffer();
    // An OMS process killed under the request is the OMS's outage, not the sign-in's: only a refusal counts.
    if (oms.status === 401 || oms.status === 403) return fail(`oms ${oms.status}`);
    tally.ok++;
  }

  const running = (async () => {
    for (let round = 0; isRunning; round++) {
      try {
        await signInOnce(round);
      } catch (error) {
        fail(error instanceof Error ? `error ${error.message}` : "error");
      }
      await sleep(options.gapMs);
    }
  })();
  return {
    tally,
    async stop() {
      isRunning = false;
      await running;
    },
  };
}
