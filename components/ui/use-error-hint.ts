"use client";

import { useEffect, useState } from "react";
import type { ErrorHint } from "@/lib/defix/store-hint";

/**
 * The plain-language hint for an error code, loaded with its table only when a code is shown: the table
 * holds every code's text, and most page loads show none. `null` until it has loaded (a moment after the
 * error first renders), and for a `null` code.
 */
export function useErrorHint(code: string | null): ErrorHint | null {
  const [loaded, setLoaded] = useState<{ code: string; hint: ErrorHint } | null>(null);
  useEffect(() => {
    if (code === null) return;
    let isCurrent = true;
    import("@/lib/defix/error-hints")
      .then(({ errorHint }) => {
        if (isCurrent) setLoaded({ code, hint: errorHint(code) });
      })
      .catch((error: unknown) => console.error("error hints failed to load", error));
    return () => {
      isCurrent = false;
    };
  }, [code]);
  return loaded !== null && loaded.code === code ? loaded.hint : null;
}
