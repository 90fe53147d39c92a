"use client";

import { RenderError } from "@/components/layout/render-error";

export default function WebhooksError({ reset }: { error: Error; reset: () => void }) {
  return <RenderError title="The webhook settings failed to render" reset={reset} />;
}
