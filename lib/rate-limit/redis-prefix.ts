/** `WEB_REDIS_PREFIX`: the start of every key a dashboard keeps in Redis, so deployments sharing one Redis stay apart. */
export function webRedisPrefix(env: Record<string, string | undefined> = process.env): string {
  const prefix = env.WEB_REDIS_PREFIX ?? "defix:";
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(prefix)) {
    throw new Error(`WEB_REDIS_PREFIX must be 1-64 of A-Z a-z 0-9 : _ -, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}
