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

/** IPv4-mapped IPv6 and the IPv4 form count as one client; anything that is not an address gets one bucket. */
function normalize(entry: string): string {
  const address = entry.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return /^[0-9a-f:.]{2,45}$/.test(address) ? address : "invalid";
}
