/** A grey placeholder while data loads; `label` is read by screen readers instead of the shimmer. */
export function Skeleton({ className = "h-4 w-full", label = "Loading" }: { className?: string; label?: string }) {
  return (
    <span
      role="status"
      aria-label={label}
      className={`block motion-safe:animate-pulse rounded bg-zinc-200 ${className}`}
    />
  );
}
