"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { nextTheme, THEME_COOKIE, type Theme, themeClass } from "./theme";

const LABEL: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };
const ICON: Record<Theme, string> = { system: "◐", light: "☀", dark: "☾" };
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Cycles System → Light → Dark; the choice is a cookie, so the next page load renders in it at once. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [current, setTheme] = useState<Theme>(initial);

  const cycle = (): void => {
    const next = nextTheme(current);
    const root = document.documentElement;
    root.classList.remove("light", "dark");
    const className = themeClass(next);
    if (className) root.classList.add(className);
    // biome-ignore lint/suspicious/noDocumentCookie: a fixed name and one of two values; the Cookie Store API is not in every browser
    document.cookie =
      next === "system"
        ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`
        : `${THEME_COOKIE}=${next}; path=/; max-age=${ONE_YEAR_SECONDS}; samesite=lax`;
    setTheme(next);
  };

  return (
    <Button variant="ghost" size="sm" onClick={cycle} title="Colour theme: System, Light or Dark">
      <span aria-hidden="true">{ICON[current]}</span>
      Theme: {LABEL[current]}
    </Button>
  );
}
