import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

/**
 * Builds an upstream path from fixed literals and validated values, one segment each.
 *
 * The zod schemas already pin ids to uuid / vault-id formats; this is the second fence: a segment
 * that is empty, a dot segment, holds a slash/backslash (raw or percent-encoded), a `%`, or looks like
 * a scheme or authority is refused before any byte goes upstream, so no request can leave the
 * `/defix/` tree or reach another host.
 */
export function omsPath(segments: readonly string[]): string {
  if (segments.length === 0 || segments[0] !== "defix") {
    throw new BffError(400, ErrorCode.BAD_REQUEST, "Upstream path must start at /defix");
  }
  return `/${segments.map(checkedSegment).join("/")}`;
}

function checkedSegment(segment: string): string {
  const isUnsafe =
    segment === "" ||
    segment === "." ||
    segment === ".." ||
    /[/\\%?#\s]/.test(segment) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(segment) ||
    segment.length > 200;
  if (isUnsafe) throw new BffError(400, ErrorCode.BAD_REQUEST, "The request path is not allowed");
  return encodeURIComponent(segment);
}

/** `base` + path; refuses any result that lands on another origin or outside `/defix/`. */
export function upstreamUrl(base: string, path: string, query?: URLSearchParams): URL {
  const origin = new URL(base);
  const url = new URL(path, origin);
  if (url.origin !== origin.origin || !url.pathname.startsWith("/defix/")) {
    throw new BffError(400, ErrorCode.BAD_REQUEST, "The request path is not allowed");
  }
  if (query) url.search = query.toString();
  return url;
}

/** Re-serialises a validated query object; arrays become repeated keys, undefined values are dropped. */
export function toSearchParams(query: Record<string, unknown> | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      params.append(key, String(item));
    }
  }
  return params;
}
