import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db, type Dialect } from "../db";

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres"];

export interface TestDatabase {
  dialect: Dialect;
  /** Open (and migrate) a connection; call again to simulate another process or a restart. */
  open(): Promise<Db>;
  /** Closes what `open` returned and removes the database. */
  destroy(): Promise<void>;
  databaseUrl?: string;
  sqlitePath: string;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database per test file: a temp SQLite file, or a uniquely named PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-test-"));
  const sqlitePath = path.join(dir, "oms.sqlite");
  const opened: Db[] = [];
  let databaseUrl: string | undefined;
  let name: string | undefined;
  if (dialect === "postgres") {
    name = `oms_test_${randomUUID().replaceAll("-", "")}`;
    await admin(`create database ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  return {
    dialect,
    sqlitePath,
    databaseUrl,
    async open() {
      const db = await createDb({ databaseUrl, sqlitePath });
      opened.push(db);
      return db;
    },
    async destroy() {
      for (const db of opened.splice(0)) await db.close();
      if (name !== undefined) await admin(`drop database if exists ${name} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
