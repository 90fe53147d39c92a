import { rmSync } from "node:fs";
import path from "node:path";
import { createOmsDb } from "../../../oms/migrations";
import type { Db, Dialect } from "../../../oms/store/db";
import { createScratchDatabase } from "./postgres";

export interface BenchDatabase {
  dialect: Dialect;
  /** Pass to the OMS as DATABASE_URL; undefined means the SQLite file in DATA_DIR. */
  databaseUrl: string | undefined;
  /** Opens (and migrates) a connection from this process, e.g. to preload or verify. */
  open(): Promise<Db>;
  drop(): Promise<void>;
}

/** An empty OMS database: `${dataDir}/oms.sqlite` (where the OMS looks) or a scratch PostgreSQL database. */
export async function createBenchDatabase(dialect: Dialect, dataDir: string, prefix: string): Promise<BenchDatabase> {
  const sqlitePath = path.join(dataDir, "oms.sqlite");
  const removeSqlite = (): void => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${sqlitePath}${suffix}`, { force: true });
  };
  const opened: Db[] = [];
  const closeAll = async (): Promise<void> => {
    for (const db of opened.splice(0)) await db.close();
  };
  if (dialect === "sqlite") {
    removeSqlite();
    return {
      dialect,
      databaseUrl: undefined,
      async open() {
        const db = await createOmsDb({ sqlitePath });
        opened.push(db);
        return db;
      },
      async drop() {
        await closeAll();
        removeSqlite();
      },
    };
  }
  const scratch = await createScratchDatabase(prefix);
  return {
    dialect,
    databaseUrl: scratch.url,
    async open() {
      const db = await createOmsDb({ sqlitePath, databaseUrl: scratch.url });
      opened.push(db);
      return db;
    },
    async drop() {
      await closeAll();
      await scratch.drop();
    },
  };
}

export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres"];
