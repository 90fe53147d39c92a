import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { silentLog } from "../kernel/logger";
import type { Db } from "../store/db";
import type { Committed } from "../store/intents-repo";
import type { Database } from "../store/schema";
import { DIALECTS, withTestDatabase } from "../store/test-support/databases";
import { receivedPayload } from "../store/test-support/fixtures";
import { createIntentWriter } from "./intent-writer";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

/**
 * The database, counting the transactions begun on it; `failFirst` makes the first write fail before it writes
 * anything: a transaction's begin, or a statement sent on its own (PostgreSQL writes an unbounded batch as one
 * statement, no transaction).
 */
function counting(db: Kysely<Database>, failFirst = false) {
  const counter = { transactions: 0, hasFailed: false };
  const failOnce = () => {
    if (!failFirst || counter.hasFailed) return;
    counter.hasFailed = true;
    throw new Error("connection lost (test)");
  };
  const bound = <T extends object>(target: T, property: string | symbol): unknown => {
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  };
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === "transaction") {
        return () => {
          counter.transactions += 1;
          failOnce();
          return target.transaction();
        };
      }
      if (property === "getExecutor") {
        return () =>
          new Proxy(target.getExecutor(), {
            get(executor, name) {
              if (name !== "executeQuery") return bound(executor, name);
              return (...args: Parameters<typeof executor.executeQuery>) => {
                failOnce();
                return executor.executeQuery(...args);
              };
            },
          });
      }
      return bound(target, property);
    },
  });
  return { db: proxy, counter };
}

describe.each(DIALECTS)("intent writer on %s", (dialect) => {
  let handle: Db;
  let next = 1;
  const request = () => ({ payload: receivedPayload({ config_hash: hash(next++) }), at: new Date() });

  withTestDatabase(dialect, (opened) => {
    handle = opened;
  });

  it("groups concurrent submits into a few transactions, each submit with its own intent and position", async () => {
    const { db, counter } = counting(handle.db);
    const writer = createIntentWriter(db, null, silentLog);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => writer.create(request())));
    const created = outcomes.filter((outcome): outcome is Committed => typeof outcome === "object");
    expect(created).toHaveLength(40);
    expect(new Set(created.map((c) => c.record.id)).size).toBe(40);
    const positions = created.map((c) => Number(c.events[0]?.position)).sort((a, b) => a - b);
    expect(positions.at(-1)).toBe((positions[0] ?? 0) + 39);
    // PostgreSQL writes an unbounded batch as one statement: count the transactions that created the rows.
    const commits =
      dialect === "postgres"
        ? Number(
            (
              await sql<{ n: string }>`select count(distinct xmin::text) as n from intents where id in (${sql.join(
                created.map((c) => c.record.id),
              )})`.execute(handle.db)
            ).rows[0]?.n,
          )
        : counter.transactions;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(4);
  });

  it("bounded: concurrent submits to one vault stop exactly at its bound", async () => {
    const vault = `31337:0x${"cd".repeat(20)}`;
    const writer = createIntentWriter(handle.db, 7, silentLog);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        writer.create({ payload: receivedPayload({ vault_id: vault, config_hash: hash(next++) }), at: new Date() }),
      ),
    );
    expect(outcomes.filter((outcome) => typeof outcome === "object")).toHaveLength(7);
    expect(outcomes.filter((outcome) => outcome === "full")).toHaveLength(23);
  });

  it("writes each submit on its own when its batch fails, so the failure does not spread", async () => {
    const { db } = counting(handle.db, true);
    const warnings: string[] = [];
    const writer = createIntentWriter(db, null, { ...silentLog, warn: (message) => warnings.push(message) });
    // Submits of the same turn leave together: this batch's transaction fails before writing anything.
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => writer.create(request())));
    expect(outcomes.map((outcome) => typeof outcome)).toEqual(Array(5).fill("object"));
    expect(warnings).toEqual(["intent batch rolled back; writing its intents one by one"]);
  });
});
