import { darkTheme, lightTheme } from "@rainbow-me/rainbowkit";

type ThemeVars = ReturnType<typeof lightTheme>;

/**
 * RainbowKit's default accent (#0e76fd) under white text and its grey secondary text are below
 * WCAG AA contrast (4.17 and 3.31 : 1). The console's indigo and darker greys pass in both themes;
 * RainbowKit follows prefers-color-scheme itself.
 */
const ACCENT = { light: "#4338ca", dark: "#a5b4fc" };

function withReadableText(theme: ThemeVars, secondary: string): ThemeVars {
  return { ...theme, colors: { ...theme.colors, modalTextSecondary: secondary } };
}

export const kitTheme = {
  lightMode: withReadableText(lightTheme({ accentColor: ACCENT.light, accentColorForeground: "#fff" }), "#52525b"),
  darkMode: withReadableText(darkTheme({ accentColor: ACCENT.dark, accentColorForeground: "#18181b" }), "#d4d4d8"),
};
