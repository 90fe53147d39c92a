import { describe, expect, it } from "vitest";
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
});
