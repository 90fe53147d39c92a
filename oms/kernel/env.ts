import { z } from "zod";

export const Port = z.coerce.number().int().min(0).max(65_535);

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Keys fetched over plain http could be swapped in transit, so every token would be forgeable. */
export const JwksUrl = z.url().refine((value) => {
  const url = new URL(value);
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}, "must be an https:// URL (plain http only for localhost, 127.0.0.1 or ::1)");

export const DEFAULT_JWKS_URL = "http://127.0.0.1:3000/api/auth/jwks";

/**
 * Env → the schema's output; throws one error listing every invalid variable, so a bad boot says
 * all of it at once (`service` names the process in the message).
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  service: string,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid ${service} environment:\n${lines.join("\n")}`);
}
