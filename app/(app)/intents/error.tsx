"use client";

import { RenderError } from "@/components/layout/render-error";

export default function IntentsError({ reset }: { error: Error; reset: () => void }) {
  return <RenderError title="This page failed to render" reset={reset} />;
}
