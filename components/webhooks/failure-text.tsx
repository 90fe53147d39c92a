"use client";

import { useErrorHint } from "@/components/ui/use-error-hint";
import { isApiError } from "@/lib/query/api-error";

/**
 * Why a webhook or threshold change failed: the OMS's message, what to do about it (the code's hint, when
 * it says more than the code) and the code.
 */
export function FailureText({ error }: { error: unknown }) {
  const code = isApiError(error) ? error.code : null;
  const hint = useErrorHint(code);
  if (!isApiError(error)) return "The request did not go through. Try again.";
  const advice = hint?.hint && hint.title !== error.code ? ` — ${hint.hint}` : "";
  return `${error.message}${advice} (${error.code})`;
}
