import type { Dialect } from "../../../oms/store/db";
import { buildOmsBundle } from "../../bench/lib/bundle";
import type { ServiceProcess } from "../../bench/lib/children";
import { type BenchDatabase, createBenchDatabase } from "../../bench/lib/database";
import { startOms } from "../../bench/lib/oms";
import { startWorld, type World } from "../../bench/lib/world";

/** An OMS process (engine off) over its own anvil world and database: what the fuzzer and auth matrix hit. */
export interface Target {
  world: World;
  database: BenchDatabase;
  oms: ServiceProcess;
  stop(): Promise<void>;
}

export async function startTarget(dialect: Dialect): Promise<Target> {
  const entry = buildOmsBundle();
  const world = await startWorld();
  let database: BenchDatabase | undefined;
  try {
    database = await createBenchDatabase(dialect, world.dataDir, "reliability");
    const oms = await startOms(world, { databaseUrl: database.databaseUrl, workers: 0, entry });
    const db = database;
    return {
      world,
      database: db,
      oms,
      async stop() {
        await oms.stop();
        await db.drop();
        await world.stop();
      },
    };
  } catch (error) {
    await database?.drop();
    await world.stop();
    throw error;
  }
}

/** Who is who in the dev world (docs/ARCHITECTURE.md): two managers, a viewer, an outsider. */
export function actors(world: World) {
  const byLabel = (label: string) => {
    const account = world.manifest.accounts.find((a) => a.label === label);
    if (!account) throw new Error(`no dev account labelled ${label}`);
    return account.address;
  };
  return {
    managerOne: byLabel("manager one"),
    managerTwo: byLabel("manager two"),
    viewer: byLabel("viewer"),
    // Dev account #5 holds no role anywhere.
    outsider: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
  };
}
