/**
 * The Content-Security-Policy of every page, built per request by proxy.ts. Scripts run only with this
 * request's nonce (Next puts it on its own scripts when it finds the policy on the request), and what
 * they load ('strict-dynamic'). Styles allow inline: RainbowKit injects a <style> for its theme and React
 * writes style attributes; a style-src nonce would disable 'unsafe-inline' and break both.
 */
export interface PagePolicyOptions {
  nonce: string;
  /** Next's dev server (React's debugging needs eval, HMR a websocket). */
  isDev: boolean;
  /** Origins the page's wallet code may call besides this one (the chain's JSON-RPC URL). */
  connectSources: readonly string[];
}

export function pageContentSecurityPolicy({ nonce, isDev, connectSources }: PagePolicyOptions): string {
  const connect = ["'self'", ...new Set(connectSources), ...(isDev ? ["ws:"] : [])];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The origin of a URL for connect-src; null for anything that is not http(s) (nothing to allow). */
export function connectSource(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { protocol, origin } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? origin : null;
  } catch {
    return null;
  }
}
