import type { HourBucket } from "./stats";

const WIDTH = 192;
const HEIGHT = 36;
const GAP = 1;

/**
 * Completions (green, up) and failures (red, down from the midline) per hour for the last 24 h.
 * Hand-drawn SVG: 48 rects do not justify a chart library.
 */
export function OutcomeChart({ hours, label }: { hours: readonly HourBucket[]; label: string }) {
  const peak = Math.max(1, ...hours.map((hour) => Math.max(hour.completed, hour.failed)));
  const barWidth = WIDTH / hours.length - GAP;
  const mid = HEIGHT * 0.65;
  const up = mid - 2;
  const down = HEIGHT - mid - 2;
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      className="block"
    >
      <line x1={0} x2={WIDTH} y1={mid} y2={mid} className="stroke-zinc-200" strokeWidth={1} />
      {hours.map((hour, i) => {
        const x = i * (barWidth + GAP);
        const okHeight = (hour.completed / peak) * up;
        const failHeight = (hour.failed / peak) * down;
        const hourLabel = new Date(hour.start).toISOString().slice(11, 16);
        return (
          <g key={hour.start}>
            <title>{`${hourLabel} UTC: ${hour.completed} completed, ${hour.failed} failed`}</title>
            <rect x={x} y={mid - okHeight} width={barWidth} height={okHeight} className="fill-emerald-500" />
            <rect x={x} y={mid} width={barWidth} height={failHeight} className="fill-red-500" />
          </g>
        );
      })}
    </svg>
  );
}
