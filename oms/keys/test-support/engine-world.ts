import { setupWorld, type World } from "../../../contracts/test/fixture";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import type { ChainGateway } from "../../chain/gateway";
import { rpcConnection } from "../../chain/rpc-transport";
import { createViemGateway } from "../../chain/viem-gateway";
import { createIntentService, type IntentCore } from "../../core/intent-service";
import { createTestDatabase, type DIALECTS } from "../../store/test-support/databases";
import type { SessionKeyService, SessionKeyServiceConfig } from "../service";
import { keyService } from "./harness";

export interface EngineWorld {
  world: World;
  alpha: ManifestVault;
  chain: ChainGateway;
  keys: SessionKeyService;
  intents: IntentCore;
  stop(): Promise<void>;
}

/**
 * A fresh chain and database (SQLite unless asked) with the real session-key service and the real engine (one worker,
 * fast polls): what the tests of "intents sign with the key the OMS holds" need.
 */
export async function startEngineWorld(
  dialect: (typeof DIALECTS)[number] = "sqlite",
  options: { keys?: Partial<SessionKeyServiceConfig> } = {},
): Promise<EngineWorld> {
  const world = await setupWorld();
  const database = await createTestDatabase(dialect);
  const db = await database.open();
  const keys = keyService(world, db, { config: options.keys });
  const node = rpcConnection(world.anvil.rpcUrl);
  const chain = createViemGateway({
    rpc: node,
    chainId: world.manifest.chain_id,
    registry: world.manifest.contracts.registry,
    pollingIntervalMs: 50,
  });
  const intents = createIntentService({
    db: db.db,
    chain,
    manifest: world.manifest,
    keys,
    engine: { waitRetryMs: 100, receiptPollMs: 50 },
    foreignEventPollMs: null,
  });
  const workers = intents.startWorkers({ count: 1, pollIntervalMs: 50 });
  return {
    world,
    alpha: world.vault("svALPHA"),
    chain,
    keys,
    intents,
    async stop() {
      await workers.stop();
      await intents.close();
      await database.destroy();
      node.close();
      await world.stop();
    },
  };
}
