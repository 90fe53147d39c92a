import type { ListIntentsQuery } from "../../lib/defix";
import type { Dialect } from "../../oms/store/db";
import { createBenchDatabase } from "./lib/database";
import { depositRequest } from "./lib/intents";
import { startOms } from "./lib/oms";
import { percentile, record, round, section } from "./lib/report";
import type { World } from "./lib/world";
import { pagePlan } from "./page-plans";
import { preload, preloadVaults } from "./preload";

export interface FacetsOptions {
  intents: number;
  /** Requests per measured case, warm and cold each. */
  samples: number;
  dialects: readonly Dialect[];
}

/** Issue 22 target 5b: the first page with facets of a 1,000,000-intent history in ≤ 50 ms server time. */
const TARGET_MS = 50;

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** The vaults the OMS will find visible to this caller (for the plan shown with each figure). */
  visible: readonly string[];
}

const FILTERS: ReadonlyArray<{ name: string; query: string; filters: ListIntentsQuery }> = [
  { name: "no filter", query: "", filters: { limit: 50 } },
  { name: "state=FAILED (6 %)", query: "&state=FAILED", filters: { limit: 50, state: "FAILED" } },
  { name: "state=EXECUTING (0.5 %)", query: "&state=EXECUTING", filters: { limit: 50, state: "EXECUTING" } },
];

/** `app;dur=…` of the OMS's Server-Timing header: its own time for the request, in ms. */
function serverTime(response: Response): number {
  const match = /app;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "");
  if (match?.[1] === undefined) throw new Error("the OMS answered without Server-Timing app;dur");
  return Number(match[1]);
}

async function firstPage(url: string, caller: Caller): Promise<number> {
  const response = await fetch(url, { headers: caller.headers });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: unknown[]; facets: { state: Record<string, number> } };
  if (body.data.length === 0 || Object.keys(body.facets.state).length === 0) throw new Error(`GET ${url}: empty page`);
  return serverTime(response);
}

const summary = (values: readonly number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });

/**
 * `GET /defix/intents?limit=50` (the first page, with facets) over `intents` preloaded intents in every
 * state, several vaults, strategies and actions, timed by the OMS itself (Server-Timing). Warm: repeats
 * with nothing committed in between. Cold: each request right after a submit, whose commit empties the
 * OMS's facet cache. For a caller who sees every vault (a service token) and one who sees one (the viewer).
 */
export async function benchFacets(world: World, options: FacetsOptions): Promise<void> {
  section(`facets: first page with facets over ${options.intents} intents, ${options.samples} requests per case`);
  const vaults = world.manifest.vaults;
  const vaultA = vaults[0];
  if (vaultA === undefined) throw new Error("the world has no vault");
  const viewer = world.manifest.accounts.find((account) => account.label === "viewer")?.address ?? "";
  const bearer = async (subject: string, claims?: Record<string, unknown>) => ({
    authorization: `Bearer ${await world.token(subject, claims)}`,
  });
  const callers: Caller[] = [
    {
      name: `all ${vaults.length} vaults`,
      headers: await bearer("svc:strategy-runner", { svc_vaults: vaults.map((v) => v.vault_id) }),
      visible: vaults.map((v) => v.vault_id),
    },
    { name: "one vault", headers: await bearer(viewer), visible: [vaultA.vault_id] },
  ];
  const submitter = { ...(await bearer(vaultA.primary_manager)), "content-type": "application/json" };
  let seq = Date.now();

  for (const dialect of options.dialects) {
    const database = await createBenchDatabase(dialect, world.dataDir, "bench_facets");
    try {
      const handle = await database.open();
      const loaded = await preload(handle, preloadVaults(world.manifest, vaults), options.intents, {
        states: "all",
        eventsPerIntent: 0,
      });
      const plans = new Map<string, string>();
      try {
        for (const caller of callers) {
          for (const filter of FILTERS) {
            plans.set(`${caller.name}|${filter.name}`, await pagePlan(handle, filter.filters, caller.visible));
          }
        }
      } finally {
        await handle.close();
      }
      record({
        name: `facets preload (${dialect})`,
        value: loaded.seconds,
        unit: "s",
        note: `${loaded.intents} intents in every state over ${vaults.length} vaults, 7 strategies, 3 actions (no events); counted by the triggers as they went in on SQLite, recounted once after the load on PostgreSQL`,
      });
      const oms = await startOms(world, {
        databaseUrl: database.databaseUrl,
        workers: 0,
        env: { OMS_MAX_IN_FLIGHT_PER_VAULT: "0" },
      });
      try {
        // A commit in the OMS process: its facet cache (and anything else cached per commit) is empty after it.
        const commit = async (): Promise<void> => {
          const response = await fetch(`${oms.url}/defix/intents`, {
            method: "POST",
            headers: submitter,
            body: JSON.stringify(depositRequest(vaultA, seq++)),
          });
          if (response.status !== 201) throw new Error(`submit: ${response.status} ${await response.text()}`);
        };
        for (const caller of callers) {
          for (const filter of FILTERS) {
            const url = `${oms.url}/defix/intents?limit=50${filter.query}`;
            // Untimed: the first reads of a case bring its index pages into memory, which is not what "cold" means here.
            for (let i = 0; i < 3; i++) await firstPage(url, caller);
            const cold: number[] = [];
            const warm: number[] = [];
            for (let i = 0; i < options.samples; i++) {
              await commit();
              cold.push(await firstPage(url, caller));
              warm.push(await firstPage(url, caller));
            }
            const c = summary(cold);
            const w = summary(warm);
            record({
              name: `first page + facets, ${loaded.intents} intents, ${caller.name}, ${filter.name} (${dialect}), cold p99`,
              value: c.p99,
              unit: "ms server time",
              target: `≤ ${TARGET_MS} ms`,
              met: c.p99 <= TARGET_MS,
              note: `cold p50 ${round(c.p50, 2)} ms; warm p50 ${round(w.p50, 2)} ms, p99 ${round(w.p99, 2)} ms; ${options.samples} each; page plan: ${plans.get(`${caller.name}|${filter.name}`)}`,
            });
          }
        }
      } finally {
        await oms.stop();
      }
    } finally {
      await database.drop();
    }
  }
}
