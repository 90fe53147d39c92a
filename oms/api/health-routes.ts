import { z } from "zod";
import { defineRoute } from "../kernel/route";

export const HealthReport = z.object({
  status: z.enum(["ok", "degraded"]),
  chain: z.object({ ok: z.boolean(), chain_id: z.number().int().nullable(), block: z.string().nullable() }),
  database: z.object({ ok: z.boolean(), dialect: z.enum(["sqlite", "postgres"]) }),
  version: z.string(),
  /**
   * Outbox consumers this process knows of (the NATS relay…): where each stands, how far behind the event
   * log's head, and whether this process holds its lease. A broker outage shows here; it does not make
   * the OMS unhealthy (the outbox keeps every event until the consumer catches up).
   */
  consumers: z
    .array(
      z.object({
        name: z.string(),
        position: z.number().int().nullable(),
        lag: z.number().int().nullable(),
        holding: z.boolean(),
        connected: z.boolean().optional(),
        error: z.string().nullable(),
      }),
    )
    .optional(),
});
export type HealthReport = z.infer<typeof HealthReport>;

export function healthRoutes(check: () => Promise<HealthReport>) {
  return [
    // GET /health – liveness of the chain and database connections (no token needed)
    defineRoute({
      method: "GET",
      url: "/health",
      operationId: "health",
      summary: "Health",
      description: "200 when the chain and the database answer, 503 (same body) when either does not.",
      tag: "Service",
      isPublic: true,
      responses: {
        200: { description: "Healthy", schema: HealthReport },
        503: { description: "Degraded: see which dependency failed", schema: HealthReport },
      },
      async handler() {
        const report = await check();
        return { status: report.status === "ok" ? 200 : 503, body: report };
      },
    }),
  ];
}
