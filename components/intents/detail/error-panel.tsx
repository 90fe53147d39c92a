"use client";

import Link from "next/link";
import { useErrorHint } from "@/components/ui/use-error-hint";
import { canvasHref } from "@/lib/format/routes";

/** The intent's error: its code, the OMS's message, and a plain hint of what to check. */
export function ErrorPanel({ error, vaultId }: { error: { code: string; message: string }; vaultId: string }) {
  // The hint table loads with the first error shown; until then the code and the OMS's message stand alone.
  const hint = useErrorHint(error.code);
  return (
    <section
      role="alert"
      aria-labelledby="error-title"
      className="rounded-lg border border-red-200 bg-red-50 p-4"
      data-testid="error-panel"
    >
      <h2 id="error-title" className="font-semibold text-red-900">
        {hint?.title ?? "Intent error"} <span className="ml-1 font-mono text-xs font-normal">{error.code}</span>
      </h2>
      {hint ? <p className="mt-1 text-sm text-red-900">{hint.hint}</p> : null}
      <p className="mt-2 font-mono text-xs break-all text-red-800">{error.message}</p>
      {hint?.action === "canvas" ? (
        <Link
          href={canvasHref(vaultId)}
          className="mt-2 inline-block text-sm text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          Open the vault's canvas
        </Link>
      ) : null}
    </section>
  );
}
