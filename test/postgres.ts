import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server's maintenance database; tests and benchmarks create their own databases through it. */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database even while sessions are still open on it. */
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A uniquely named PostgreSQL database that belongs to one test file or one benchmark run. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix))
    throw new Error(`database prefix must be a lower-case identifier: ${prefix}`);
  const name = `${prefix}_${randomBytes(8).toString("hex")}`;
  await admin(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
