import { describe, expect, it } from "vitest";
import { AlertSettings } from "@/lib/defix/alerts";
import { parseSettings } from "./alert-settings-form";

const typed = {
  waiting_minutes: "15",
  min_executions_left: "10",
  failure_rate: "50",
  failure_window_minutes: "60",
  failure_min_intents: "4",
};

describe("alert thresholds form parsing", () => {
  it("turns typed values into the contract's settings (the rate from percent)", () => {
    expect(parseSettings({ ...typed, failure_rate: "12.5" })).toEqual({
      settings: {
        waiting_minutes: 15,
        min_executions_left: 10,
        failure_rate: 0.125,
        failure_window_minutes: 60,
        failure_min_intents: 4,
      },
    });
  });

  it("names each bad field with the contract's bounds", () => {
    expect(
      parseSettings({
        ...typed,
        waiting_minutes: "0",
        failure_rate: "101",
        min_executions_left: "2.5",
        failure_min_intents: "",
      }),
    ).toEqual({
      errors: {
        waiting_minutes: "Between 1 and 10080.",
        failure_rate: "Between 0 and 100.",
        min_executions_left: "Enter a whole number.",
        failure_min_intents: "Enter a number.",
      },
    });
  });

  it("accepts exactly what the contract accepts at each bound (the OMS validates with the schema)", () => {
    const edges = [
      { ...typed, waiting_minutes: "1", failure_rate: "0", failure_window_minutes: "5" },
      { ...typed, waiting_minutes: "10080", min_executions_left: "10000", failure_rate: "100" },
    ];
    for (const edge of edges) {
      const result = parseSettings(edge);
      expect("settings" in result && AlertSettings.safeParse(result.settings).success).toBe(true);
    }
    for (const outside of [
      { ...typed, failure_window_minutes: "4" },
      { ...typed, failure_min_intents: "10001" },
    ]) {
      expect(parseSettings(outside)).toHaveProperty("errors");
    }
  });
});
