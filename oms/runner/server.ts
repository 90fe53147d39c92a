import { loadManifest } from "../../lib/deployment/manifest";
import { buildRunnerApp } from "./app";
import { loadRunnerConfig } from "./config";

/** Entry: `npx tsx oms/runner/server.ts` (started by scripts/start.ts after the OMS). */
async function main(): Promise<void> {
  const config = loadRunnerConfig();
  const manifest = loadManifest(config.deploymentFile);
  const { app, engine } = await buildRunnerApp({ config, manifest });
  await app.listen({ port: config.port, host: config.host });
  engine.start();

  let isClosing = false;
  const shutdown = (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    app.log.info({ signal }, "strategy runner stopping");
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, "strategy runner did not close cleanly");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("strategy runner failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
