/**
 * The one rule for every post-sign-in target (callbackUrl, next-auth's redirect, the sign-in page's server
 * redirect, the client's navigation, proxy.ts): the value is resolved the way a browser resolves a
 * Location header against `origin`, and only a target on that same origin survives. Prefix checks on the
 * raw string are not enough: browsers strip TAB/CR/LF and read `\` as `/`, so `/\t/evil.example` is
 * `//evil.example`, another host.
 *
 * Returns a path (`/…`, never `//…`) on the origin, or "/" when the target leaves it or cannot be parsed.
 */
export function sameOriginPath(target: string | null | undefined, origin: string | URL): string {
  if (!target) return "/";
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(origin);
    resolved = new URL(target, base);
  } catch {
    return "/";
  }
  if (resolved.origin !== base.origin || resolved.username !== "" || resolved.password !== "") return "/";
  // A same-origin path may still start with `//` (http://app//evil.example): as a relative Location that
  // would be protocol-relative, so the leading slashes collapse to one.
  const path = `/${resolved.pathname.replace(/^\/+/, "")}`;
  return `${path}${resolved.search}${resolved.hash}`;
}
