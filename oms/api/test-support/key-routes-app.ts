import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { setupWorld, type World } from "../../../contracts/test/fixture";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import { createChainRoleDirectory } from "../../../lib/roles/directory";
import { registerHttpBasics } from "../../kernel/http";
import { createTestIssuer, type TestIssuer } from "../../kernel/test-support/tokens";
import { clearKeyTables, keyService } from "../../keys/test-support/harness";
import type { Db } from "../../store/db";
import { createTestDatabase, type TestDatabase } from "../../store/test-support/databases";
import { registerAuthentication } from "../auth";
import { sessionKeyRoutes } from "../session-key-routes";

export interface KeyRoutesApp {
  world: World;
  /** svALPHA; the world's viewer holds VIEW_ONLY on it. */
  alpha: ManifestVault;
  db: Db;
  issuer: TestIssuer;
  app: FastifyInstance;
}

/**
 * The session-key routes over HTTP against the real chain (anvil) and SQLite, with real role lookups. Registers the
 * file's hooks: the app is built once; every test runs on a chain snapshot that is reverted afterwards, with the key
 * tables emptied. `ready` receives the harness once it is built.
 */
export function withKeyRoutesApp(ready: (harness: KeyRoutesApp) => void): void {
  let database: TestDatabase | undefined;
  let harness: KeyRoutesApp | undefined;
  let snapshot: `0x${string}`;

  beforeAll(async () => {
    const world = await setupWorld();
    const alpha = world.vault("svALPHA");
    database = await createTestDatabase("sqlite");
    const db = await database.open();
    const issuer = await createTestIssuer();
    const app = Fastify({ logger: false });
    harness = { world, alpha, db, issuer, app };
    registerHttpBasics(app, 64 * 1024);
    registerAuthentication(app, {
      verifier: issuer.verifier,
      directory: createChainRoleDirectory({
        client: world.publicClient,
        manifest: world.manifest,
        viewOnly: new Map([[world.accounts.viewer.address.toLowerCase(), [alpha.vault_id]]]),
        cacheMs: 0,
      }),
      serviceSubjects: ["svc:strategy-runner"],
    });
    await app.register(sessionKeyRoutes, { service: keyService(world, db) });
    await app.ready();
    ready(harness);
  });
  afterAll(async () => {
    await harness?.app.close();
    await database?.destroy();
    await harness?.world.stop();
  });
  beforeEach(async () => {
    if (harness === undefined) throw new Error("key routes app: not built");
    snapshot = await harness.world.testClient.snapshot();
  });
  afterEach(async () => {
    if (harness === undefined) return;
    await harness.world.testClient.revert({ id: snapshot });
    await clearKeyTables(harness.db);
  });
}
