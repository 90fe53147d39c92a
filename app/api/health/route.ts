// GET /api/health – liveness of the dashboard process itself (used by the start script and probes)
export function GET(): Response {
  return Response.json({ status: "ok", service: "dashboard" });
}
