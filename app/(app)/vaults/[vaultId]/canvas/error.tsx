"use client";

import { Button } from "@/components/ui/button";

/** A render error on the canvas (runner/OMS failures are shown in place, each with a retry). */
export default function CanvasError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6">
      <h2 className="font-semibold text-rose-900">The Strategy Canvas failed to render</h2>
      <p className="mt-1 text-sm text-rose-800">
        Reload the view; if it persists, the console's logs have the details.
      </p>
      <Button className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
