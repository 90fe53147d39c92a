"use client";

import { config } from "zod/v4/core";

// Pages run under a CSP without 'unsafe-eval' (proxy.ts). zod compiles object parsers with `new Function`
// after probing whether eval is allowed; under CSP that probe is itself reported as a violation on every page.
if (typeof window !== "undefined") config({ jitless: true });

/** Loaded by the root layout so the setting is in place before any page parses with zod in the browser. */
export function BrowserConfig(): null {
  return null;
}
