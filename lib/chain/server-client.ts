import "server-only";
import { createPublicClient, http, type PublicClient } from "viem";

const clients = new Map<string, PublicClient>();

/**
 * The dashboard server's read-only client on the deployment's RPC (sign-in signature checks, vault roles,
 * the chain head), one per URL; short timeout and no retries so a down node answers quickly.
 */
export function serverChainClient(url: string): PublicClient {
  let client = clients.get(url);
  if (!client) {
    client = createPublicClient({ transport: http(url, { timeout: 5_000, retryCount: 0 }) });
    clients.set(url, client);
  }
  return client;
}
