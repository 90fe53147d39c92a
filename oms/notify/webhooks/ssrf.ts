import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { ErrorCode } from "../../../lib/defix/errors";
import { WEBHOOK_URL_MAX } from "../../../lib/defix/webhooks";
import { DomainError } from "../../kernel/errors";

/**
 * SSRF guard for webhook targets. An endpoint's host must resolve only to public unicast addresses;
 * the check runs at registration and again at every delivery, on the addresses the delivery then
 * connects to (`pinnedLookup`), so a DNS answer that changes between check and connect (rebinding)
 * cannot reach an internal address. Redirects are never followed. `allowPrivate` (the dev setting
 * WEBHOOK_ALLOW_PRIVATE_TARGETS) lifts the address rule and accepts plain http.
 */
// Two lists: node's BlockList matches an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d),
// so ::ffff:0:0/96 in one shared list would refuse every IPv4 address.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  FORBIDDEN_V4.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::ffff:0:0", 96], // IPv4-mapped: refused outright rather than unwrapped
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96], // NAT64: reaches IPv4 space through a translator
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo among them)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local (ULA)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  FORBIDDEN_V6.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP literal is an internal or non-unicast address a webhook must never reach. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? FORBIDDEN_V4.check(address, "ipv4") : FORBIDDEN_V6.check(address, "ipv6");
}

export interface TargetPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: internal addresses and http:// accepted (development only). */
  allowPrivate: boolean;
}

/** Parses and checks an endpoint URL's form (scheme, credentials, length); no DNS. */
export function parseWebhookUrl(raw: string, policy: TargetPolicy): URL {
  if (raw.length > WEBHOOK_URL_MAX) {
    throw new DomainError(ErrorCode.WEBHOOK_URL_INVALID, `The URL is longer than ${WEBHOOK_URL_MAX} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError(ErrorCode.WEBHOOK_URL_INVALID, "The URL is not an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DomainError(ErrorCode.WEBHOOK_URL_INVALID, "The URL must use https://");
  }
  if (url.protocol === "http:" && !policy.allowPrivate) {
    throw new DomainError(ErrorCode.WEBHOOK_URL_INSECURE, "The URL must use https:// (plain http is for development)");
  }
  if (url.username !== "" || url.password !== "") {
    throw new DomainError(ErrorCode.WEBHOOK_URL_INVALID, "The URL must not carry a user name or password");
  }
  if (url.hostname === "") throw new DomainError(ErrorCode.WEBHOOK_URL_INVALID, "The URL has no host");
  url.hash = "";
  return url;
}

/** `[::1]` → `::1`: URL keeps IPv6 literals bracketed. */
export function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The addresses a delivery to `hostname` may connect to: every resolved address must be public (a
 * host with one internal address among public ones is refused, since the client could pick it).
 */
export async function resolveTarget(
  hostname: string,
  policy: TargetPolicy,
  resolve: Resolver = systemResolver,
): Promise<{ address: string; family: 4 | 6 }[]> {
  const host = bareHost(hostname);
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new DomainError(ErrorCode.WEBHOOK_TARGET_UNRESOLVABLE, `The host ${host} does not resolve`, {
        reason: (error as NodeJS.ErrnoException).code ?? "lookup failed",
      });
    }
  }
  if (addresses.length === 0) {
    throw new DomainError(ErrorCode.WEBHOOK_TARGET_UNRESOLVABLE, `The host ${host} does not resolve`);
  }
  if (!policy.allowPrivate) {
    const internal = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (internal) {
      throw new DomainError(
        ErrorCode.WEBHOOK_TARGET_FORBIDDEN,
        `The host ${host} is or resolves to an internal address (${internal.address}); webhooks reach public addresses only`,
      );
    }
  }
  return addresses.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
}

/** Checks a URL completely (form, then resolved addresses), as registration does. */
export async function checkWebhookTarget(raw: string, policy: TargetPolicy, resolve?: Resolver): Promise<URL> {
  const url = parseWebhookUrl(raw, policy);
  await resolveTarget(url.hostname, policy, resolve);
  return url;
}
