import { loadConfig } from "./config";

/** After this long a shutdown stops waiting for in-flight work and exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  // Loaded after the env is validated, so a bad env fails fast instead of after compiling the whole OMS.
  const { createOms } = await import("./app");
  const { app } = await createOms(config, { logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });

  let isStopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    app.log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      app.log.error("shutdown grace period passed; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  // Boot errors (bad env, unreachable chain, wrong master key) name the problem; they hold no secrets.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
