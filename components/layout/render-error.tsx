"use client";

import { Button } from "@/components/ui/button";

/**
 * What a route's error boundary shows for a render error. OMS and runner failures never get here: the
 * pages show those in place, each with its own retry.
 */
export function RenderError({ title, reset }: { title: string; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h2 className="font-semibold text-red-900">{title}</h2>
      <p className="mt-1 text-sm text-red-800">Reload the view; if it persists, the console's logs have the details.</p>
      <Button className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
