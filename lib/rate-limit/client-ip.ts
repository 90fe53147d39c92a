/**
 * The key per-IP limits count under.
 *
 * Route handlers do not see the socket's peer address. Next copies it into `x-forwarded-for` only when the
 * client sent none, so a client talking to Next directly can put anything there: the header is trusted only
 * when `TRUST_PROXY` says how many proxies of ours append to it (`TRUST_PROXY=1`: one reverse proxy; the
 * address it appended, the right-most entry, is the client). Without it every client counts under
 * `"untrusted"`: per-IP limits then act as one limit for the whole dashboard, which still bounds a flood
 * but lets it crowd out others. Deploy behind a proxy and set TRUST_PROXY.
 */
export function clientIp(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedHops(env.TRUST_PROXY);
  if (hops === 0) return "untrusted";
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // The entry `hops` from the right was written by our outermost proxy; anything left of it is the client's claim.
  const entry = chain[Math.max(0, chain.length - hops)];
  return entry ? normalize(entry) : "untrusted";
}

function trustedHops(value: string | undefined): number {
  if (value === undefined || value === "" || value === "0" || value === "false") return 0;
  if (value === "true") return 1;
  const hops = Number(value);
  return Number.isInteger(hops) && hops > 0 ? hops : 0;
}

/**
 * IPv4-mapped IPv6 and the IPv4 form count as one client; an IPv6 client counts by its /64 (one subscriber
 * gets a whole /64, so single addresses would be free to rotate); anything that is not an address gets one bucket.
 */
function normalize(entry: string): string {
  const address = entry.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(address)) return address;
  return /^[0-9a-f:]{2,39}$/.test(address) ? (ipv6Prefix64(address) ?? "invalid") : "invalid";
}

function ipv6Prefix64(address: string): string | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
