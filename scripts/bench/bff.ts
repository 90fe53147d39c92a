import path from "node:path";
import { getFreePort } from "../lib/anvil";
import { startStack } from "../lib/stack";
import { depositRequest } from "./lib/intents";
import { type LoadResult, runLoad, warmUp } from "./lib/load";
import { record, round, section } from "./lib/report";
import { sessionCookie } from "./lib/session-cookie";

export interface BffOptions {
  seconds: number;
  dataDir: string;
}

const TARGET_P50_MS = 5;
const TARGET_P99_MS = 15;

/**
 * The same GET /defix/intents/{id} straight to the OMS (bearer token) and through the Next.js route
 * handler /api/oms/intents/{id} (session cookie). One connection measures the latency a request pays
 * for the extra hop; ten show how the hop holds up when requests overlap.
 */
export async function benchBff(options: BffOptions): Promise<void> {
  section("BFF overhead: OMS direct vs through the Next.js route handler (next start)");
  const ports = {
    chain: await getFreePort(),
    oms: await getFreePort(),
    runner: await getFreePort(),
    web: await getFreePort(),
  };
  // One user at full speed is the measurement, not an abuse: both services' per-user budgets are lifted.
  process.env.BFF_RATE_LIMIT_PER_MIN = "0";
  const stack = await startStack({
    dataDir: path.resolve(options.dataDir),
    web: "prod",
    runner: false,
    ports,
    omsEnv: { ...process.env, OMS_WORKERS: "0", OMS_LOG_LEVEL: "warn", OMS_RATE_LIMIT: "off" },
  });
  try {
    const vault = stack.manifest.vaults[0];
    if (!vault) throw new Error("no vault deployed");
    const { issueOmsToken } = await import("../../lib/auth/issuer");
    const omsToken = (
      await issueOmsToken({ subject: vault.primary_manager, dataDir: stack.dataDir, ttlSeconds: 3_600 })
    ).token;
    const bearer = { authorization: `Bearer ${omsToken}` };
    const created = await fetch(`${stack.omsUrl}/defix/intents`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify(depositRequest(vault, Date.now())),
    });
    if (created.status !== 201) throw new Error(`could not create an intent to read: HTTP ${created.status}`);
    const { id } = (await created.json()) as { id: string };
    const secret = stack.env.NEXTAUTH_SECRET ?? "";
    const cookie = await sessionCookie({ address: vault.primary_manager, omsToken, secret });
    const webUrl = `http://127.0.0.1:${ports.web}`;
    const check = await fetch(`${webUrl}/api/oms/intents/${id}`, { headers: { cookie } });
    if (check.status !== 200) throw new Error(`BFF answered HTTP ${check.status} for a signed-in read`);

    for (const connections of [1, 10]) {
      const direct = {
        url: `${stack.omsUrl}/defix/intents/${id}`,
        connections,
        durationSec: options.seconds,
        headers: bearer,
      };
      const viaBff = {
        url: `${webUrl}/api/oms/intents/${id}`,
        connections,
        durationSec: options.seconds,
        headers: { cookie },
      };
      await warmUp(direct);
      await warmUp(viaBff);
      const a = await runLoad(direct);
      const b = await runLoad(viaBff);
      report(connections, a, b);
    }
  } finally {
    await stack.stop();
  }
}

function report(connections: number, direct: LoadResult, viaBff: LoadResult): void {
  const addedP50 = viaBff.p50 - direct.p50;
  const addedP99 = viaBff.p99 - direct.p99;
  const errors = direct.non2xx + direct.errors + viaBff.non2xx + viaBff.errors;
  record({
    name: `GET intent via BFF, ${connections} connection(s): added p50`,
    value: addedP50,
    unit: "ms",
    ratio: viaBff.rps / direct.rps,
    target: connections === 1 ? `≤ ${TARGET_P50_MS} ms p50 and ≤ ${TARGET_P99_MS} ms p99 added` : undefined,
    met: connections === 1 ? addedP50 <= TARGET_P50_MS && addedP99 <= TARGET_P99_MS && errors === 0 : undefined,
    note: `added p99 ${round(addedP99)} ms; direct ${round(direct.rps)} req/s p50 ${direct.p50} p99 ${direct.p99}; via BFF ${round(viaBff.rps)} req/s p50 ${viaBff.p50} p99 ${viaBff.p99}${errors ? `; ${errors} errors` : ""}`,
  });
}
