/** Table-shaped placeholders with one status for screen readers (not one per bar). */
export function SkeletonRows({ rows = 8, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-2 p-3">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} aria-hidden="true" className="h-8 w-full motion-safe:animate-pulse rounded bg-zinc-200" />
      ))}
    </div>
  );
}
