import { describe, expect, it } from "vitest";
import { nextTheme, parseTheme, themeClass } from "./theme";

describe("theme cookie", () => {
  it("reads only the two themes a user can pick; anything else follows the system", () => {
    expect(parseTheme("dark")).toBe("dark");
    expect(parseTheme("light")).toBe("light");
    expect(parseTheme(undefined)).toBe("system");
    expect(parseTheme("<script>")).toBe("system");
  });

  it("cycles System → Light → Dark → System, and System leaves <html> to the media query", () => {
    expect([nextTheme("system"), nextTheme("light"), nextTheme("dark")]).toEqual(["light", "dark", "system"]);
    expect(themeClass("system")).toBeUndefined();
    expect(themeClass("dark")).toBe("dark");
  });
});
