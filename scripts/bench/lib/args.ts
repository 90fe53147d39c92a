/** `--name value` / `--name=value` / `--flag` from argv, without a parser dependency. */
export function argValue(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      return next === undefined || next.startsWith("--") ? "true" : next;
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export function argNumber(name: string, fallback: number): number {
  const raw = argValue(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}

/** A TCP port from `--name`; `fallback` 0 (or `--name 0`) asks the OS for a free one. */
export function argPort(name: string, fallback: number): number {
  const raw = argValue(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new Error(`--${name} must be a port (0–65535), got ${raw}`);
  return value;
}

export const hasFlag = (name: string): boolean => argValue(name) !== undefined;
