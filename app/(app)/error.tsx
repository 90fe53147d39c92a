"use client";

import { RenderError } from "@/components/layout/render-error";

export default function OverviewError({ reset }: { error: Error; reset: () => void }) {
  return <RenderError title="The overview failed to render" reset={reset} />;
}
