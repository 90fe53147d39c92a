/**
 * The colour theme the user chose. "system" (no cookie) follows prefers-color-scheme. Stored in a
 * cookie rather than localStorage so the server renders <html> with the right class: no flash of the
 * wrong theme and no inline script (the CSP allows none without a nonce).
 */
export const THEME_COOKIE = "theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function parseTheme(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** The class on <html>: none lets the media query decide. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}

export function nextTheme(theme: Theme): Theme {
  return THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length] ?? "system";
}
