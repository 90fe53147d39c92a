import { describe, expect, it } from "vitest";
import { backendPorts, checkClusterShape, omsNodeFlags, trustProxyBehindEntry } from "./cluster";

describe("cluster shape", () => {
  it("one process of a service keeps the entry port; several sit behind it on their own ports", () => {
    expect(backendPorts(8787, 1)).toEqual([8787]);
    expect(backendPorts(8787, 3)).toEqual([8797, 8798, 8799]);
  });

  it("refuses several OMS processes on SQLite, saying what to set", () => {
    expect(() => checkClusterShape({ omsProcesses: 3, webInstances: 1 }, { web: "prod" })).toThrow(
      /OMS_PROCESSES=3 needs DATABASE_URL: the embedded SQLite database serves one OMS process/,
    );
    expect(() =>
      checkClusterShape({ omsProcesses: 3, webInstances: 1 }, { web: "prod", databaseUrl: "postgres://x" }),
    ).not.toThrow();
  });

  it("refuses several dashboards without a shared Redis, or in dev mode", () => {
    expect(() => checkClusterShape({ omsProcesses: 1, webInstances: 2 }, { web: "prod" })).toThrow(/needs REDIS_URL/);
    expect(() =>
      checkClusterShape({ omsProcesses: 1, webInstances: 2 }, { web: "dev", redisUrl: "redis://127.0.0.1:6379" }),
    ).toThrow(/WEB_MODE=prod/);
    expect(() =>
      checkClusterShape({ omsProcesses: 1, webInstances: 2 }, { web: "prod", redisUrl: "redis://127.0.0.1:6379" }),
    ).not.toThrow();
  });

  it("collects the OMS's garbage on its main thread on 2 cores or fewer, unless told otherwise", () => {
    expect(omsNodeFlags(2, undefined)).toEqual(["--single-threaded-gc"]);
    expect(omsNodeFlags(1, "")).toEqual(["--single-threaded-gc"]);
    expect(omsNodeFlags(8, undefined)).toEqual([]);
    expect(omsNodeFlags(8, "1")).toEqual(["--single-threaded-gc"]);
    expect(omsNodeFlags(2, "0")).toEqual([]);
    expect(() => omsNodeFlags(2, "yes")).toThrow(/OMS_SINGLE_THREADED_GC must be 1 or 0/);
  });

  it("refuses counts that are not whole numbers from 1 to 16", () => {
    for (const bad of [0, 1.5, Number.NaN, 17]) {
      expect(() => checkClusterShape({ omsProcesses: bad, webInstances: 1 }, { web: "none" })).toThrow(/OMS_PROCESSES/);
    }
  });

  it("dashboards behind the proxy trust one hop more than the user's own proxies", () => {
    expect(trustProxyBehindEntry(undefined)).toBe("1");
    expect(trustProxyBehindEntry("1")).toBe("2");
    expect(trustProxyBehindEntry("true")).toBe("2");
  });
});
