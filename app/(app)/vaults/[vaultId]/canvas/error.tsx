"use client";

import { RenderError } from "@/components/layout/render-error";

export default function CanvasError({ reset }: { error: Error; reset: () => void }) {
  return <RenderError title="The Strategy Canvas failed to render" reset={reset} />;
}
