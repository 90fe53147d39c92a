import fc from "fast-check";
import { sql } from "kysely";
import type { Db } from "../../oms/store/db";
import { depositRequest } from "../bench/lib/intents";
import { type FuzzRequest, fuzzRequest } from "./fuzz-arbitraries";
import { actors, type Target } from "./lib/target";

export interface FuzzFailure {
  request: string;
  status: number;
  problem: string;
}

export interface FuzzReport {
  runs: number;
  seed: number;
  byStatus: Record<string, number>;
  operations: number;
  /** Requests sent per operation (`METHOD /path/{template}`), every operation of the document listed. */
  byOperation: Record<string, number>;
  failures: FuzzFailure[];
}

async function rowCounts(handle: Db): Promise<Record<string, number>> {
  const tables =
    handle.dialect === "sqlite"
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(handle.db)
      : await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(
          handle.db,
        );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(name)}`.execute(handle.db);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

function summarizeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? "" : ` body=${request.body.slice(0, 120)}`;
  return `${request.method} ${request.template} ${JSON.stringify(request.params).slice(0, 100)} q=${JSON.stringify(request.query).slice(0, 100)}${body}`;
}

function urlOf(base: string, request: FuzzRequest): string {
  let path = request.template;
  for (const [name, value] of Object.entries(request.params)) {
    path = path.replace(
      `{${name}}`,
      request.isRawPath
        ? value.replaceAll("/", "%2F").replaceAll("?", "%3F").replaceAll("#", "%23")
        : encodeURIComponent(value),
    );
  }
  const query = new URLSearchParams(request.query).toString();
  return `${base}${path}${query ? `?${query}` : ""}`;
}

/**
 * Sends `runs` generated requests (every operation of the OMS's OpenAPI document, hostile params,
 * queries, bodies, content types and tokens) one at a time. A 5xx is a failure; so is any row
 * appearing in any table while the OMS answered 4xx.
 */
export async function runFuzz(target: Target, options: { runs: number; seed?: number }): Promise<FuzzReport> {
  const { world, oms } = target;
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const document = (await (await fetch(`${oms.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const people = actors(world);
  const vaultA = world.manifest.vaults[0];
  if (!vaultA) throw new Error("no vault");
  const tokens = await Promise.all(
    [people.managerOne, people.managerTwo, people.viewer, people.outsider].map((who) => world.token(who)),
  );
  const managerHeaders = { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" };
  const intentIds: string[] = [];
  for (const vault of world.manifest.vaults.slice(0, 2)) {
    const response = await fetch(`${oms.url}/defix/intents`, {
      method: "POST",
      headers: managerHeaders,
      body: JSON.stringify(depositRequest(vault, Date.now())),
    });
    intentIds.push(((await response.json()) as { id: string }).id);
  }
  const context = (ops: typeof operations) => ({
    operations: ops,
    intentIds,
    vaultIds: world.manifest.vaults.map((v) => v.vault_id),
    tokens,
    validSubmit: depositRequest(vaultA, 1) as unknown as Record<string, unknown>,
    queryKeys: [
      "vault_id",
      "approval_status",
      "state",
      "action",
      "strategy_id",
      "from",
      "to",
      "q",
      "cursor",
      "limit",
      "after_seq",
      "requested_expiry",
    ],
  });
  // The random draw, then one request per operation, so a new endpoint is never left out by chance.
  const samples = [
    ...fc.sample(fuzzRequest(context(operations)), { numRuns: options.runs, seed }),
    ...operations.flatMap((operation) => fc.sample(fuzzRequest(context([operation])), { numRuns: 1, seed })),
  ];
  const byOperation = Object.fromEntries(operations.map(({ method, path }) => [`${method} ${path}`, 0]));
  const handle = await target.database.open();
  const byStatus: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  try {
    for (const request of samples) {
      const before = await rowCounts(handle);
      const headers: Record<string, string> = {};
      if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
      if (request.contentType !== undefined) headers["content-type"] = request.contentType;
      const hasBody = request.method !== "GET" && request.body !== undefined;
      let status = 0;
      try {
        const response = await fetch(urlOf(oms.url, request), {
          method: request.method,
          headers,
          body: hasBody ? request.body : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        failures.push({
          request: summarizeRequest(request),
          status,
          problem: `no answer: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const operation = `${request.method} ${request.template}`;
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
      if (status >= 500) failures.push({ request: summarizeRequest(request), status, problem: "5xx" });
      if (status >= 400) {
        const after = await rowCounts(handle);
        const grown = Object.keys(after).filter((table) => (after[table] ?? 0) !== (before[table] ?? 0));
        if (grown.length)
          failures.push({
            request: summarizeRequest(request),
            status,
            problem: `rejected request changed rows in ${grown.join(", ")}`,
          });
      }
    }
  } finally {
    await handle.close();
  }
  return { runs: samples.length, seed, byStatus, operations: operations.length, byOperation, failures };
}

export function printFuzzReport(report: FuzzReport): boolean {
  const isClean = report.failures.length === 0;
  console.log(`\n== fuzzer: ${isClean ? "PASS" : "FAIL"}`);
  console.log(
    `  tried: ${report.runs} requests over ${report.operations} operations (seed ${report.seed}); statuses ${JSON.stringify(report.byStatus)}`,
  );
  console.log(`  5xx, no answer, or rows created by a rejected request: ${report.failures.length}`);
  for (const failure of report.failures.slice(0, 15))
    console.log(`    ${failure.status} ${failure.problem}: ${failure.request}`);
  return isClean;
}
