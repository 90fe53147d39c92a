import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const VAULT = "31337:0x000000000000000000000000000000000000000A";
const VIEWER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("loadConfig", () => {
  it("fills the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      rpcUrl: "http://127.0.0.1:8545",
      databaseUrl: undefined,
      sqlitePath: ".data/oms.sqlite",
      deploymentFile: ".data/deployment.json",
      jwt: { jwksUrl: "http://127.0.0.1:3000/api/auth/jwks", issuer: "defix-console", audience: "defix-oms" },
      serviceSubjects: ["svc:strategy-runner"],
      bodyLimit: 64 * 1024,
      leaseMs: 30_000,
      headPollMs: 100,
    });
  });

  it("follows the chain head every OMS_HEAD_POLL_MS while intents wait, 0 turning it off", () => {
    expect(loadConfig({ OMS_HEAD_POLL_MS: "500" }).headPollMs).toBe(500);
    expect(loadConfig({ OMS_HEAD_POLL_MS: "0" }).headPollMs).toBeNull();
    expect(() => loadConfig({ OMS_HEAD_POLL_MS: "-1" })).toThrow(/OMS_HEAD_POLL_MS/);
  });

  it("funds session keys with 1 ETH by default and takes SESSION_KEY_GAS_STIPEND_WEI as wei", () => {
    expect(loadConfig({}).gasStipendWei).toBe(10n ** 18n);
    expect(loadConfig({ SESSION_KEY_GAS_STIPEND_WEI: "5000" }).gasStipendWei).toBe(5_000n);
    expect(() => loadConfig({ SESSION_KEY_GAS_STIPEND_WEI: "0.5" })).toThrow(/SESSION_KEY_GAS_STIPEND_WEI/);
  });

  it("reads the worker lease length from OMS_LEASE_MS and refuses one too short to finish a step", () => {
    expect(loadConfig({ OMS_LEASE_MS: "3000" }).leaseMs).toBe(3_000);
    expect(() => loadConfig({ OMS_LEASE_MS: "10" })).toThrow(/OMS_LEASE_MS/);
  });

  it("has generous documented limits by default, configurable, and OMS_RATE_LIMIT=off lifts them", () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      perUserPerMin: 3_000,
      perServicePerMin: 60_000,
      perIpPerMin: 1_200,
      submitsPerVaultPerMin: 600,
      streamsPerIdentity: 20,
      streamsTotal: 1_000,
    });
    expect([config.streamReauthMs, config.redisUrl, config.redisPrefix]).toEqual([10_000, undefined, "defix-oms:"]);
    expect(loadConfig({ OMS_SUBMIT_LIMIT_PER_MIN: "5", OMS_STREAMS_PER_IDENTITY: "2" }).limits).toMatchObject({
      submitsPerVaultPerMin: 5,
      streamsPerIdentity: 2,
    });
    expect(loadConfig({ OMS_RATE_LIMIT: "off" }).limits).toBeNull();
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).redisUrl).toBe("redis://127.0.0.1:6379");
    expect(() => loadConfig({ REDIS_URL: "http://x", OMS_RATE_LIMIT: "maybe" })).toThrow(
      /REDIS_URL[\s\S]*OMS_RATE_LIMIT|OMS_RATE_LIMIT[\s\S]*REDIS_URL/,
    );
  });

  it("trusts no x-forwarded-for hop by default; OMS_TRUST_PROXY counts the proxies in front", () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ OMS_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(() => loadConfig({ OMS_TRUST_PROXY: "true" })).toThrow(/OMS_TRUST_PROXY/);
    expect(() => loadConfig({ OMS_TRUST_PROXY: "-1" })).toThrow(/OMS_TRUST_PROXY/);
  });

  it("runs the NATS relay only with NATS_URL, with the documented stream defaults", () => {
    expect(loadConfig({}).nats).toBeNull();
    expect(loadConfig({ NATS_URL: "nats://127.0.0.1:4222" }).nats).toEqual({
      url: "nats://127.0.0.1:4222",
      stream: "DEFIX_EVENTS",
      subjectPrefix: "defix.events",
      maxAgeHours: 168,
      duplicateWindowMinutes: 10,
    });
    expect(() => loadConfig({ NATS_URL: "http://x", NATS_SUBJECT_PREFIX: "defix.>" })).toThrow(
      /NATS_URL[\s\S]*NATS_SUBJECT_PREFIX/,
    );
    expect(() => loadConfig({ NATS_STREAM: "has.dot" })).toThrow(/NATS_STREAM/);
  });

  it("parses VIEW_ONLY grants, normalising case", () => {
    const config = loadConfig({
      VIEW_ONLY: `${VIEWER}=${VAULT};`,
      CHAIN_PORT: "9545",
      OMS_SERVICE_SUBJECTS: "svc:a, svc:b",
    });
    expect(config.viewOnly.get(VIEWER.toLowerCase())).toEqual([VAULT.toLowerCase()]);
    expect(config.rpcUrl).toBe("http://127.0.0.1:9545");
    expect(config.serviceSubjects).toEqual(["svc:a", "svc:b"]);
  });

  it("refuses a JWKS URL over plain http unless it is on this machine", () => {
    for (const url of ["http://issuer.example/jwks", "http://10.0.0.5:3000/api/auth/jwks", "ftp://localhost/jwks"]) {
      expect(() => loadConfig({ OMS_JWKS_URL: url })).toThrow(/OMS_JWKS_URL: must be an https:\/\/ URL/);
    }
    for (const url of [
      "https://issuer.example/jwks",
      "http://localhost:3000/api/auth/jwks",
      "http://127.0.0.1:3000/api/auth/jwks",
      "http://[::1]:3000/api/auth/jwks",
    ]) {
      expect(loadConfig({ OMS_JWKS_URL: url }).jwt.jwksUrl).toBe(url);
    }
  });

  it("bounds submits and fees by default and reads the bounds from env (0 lifts the in-flight bound)", () => {
    expect(loadConfig({})).toMatchObject({
      intentLimits: { maxInFlightPerVault: 200, maxDeadlineSeconds: 86_400, maxSlippageBps: 1_000 },
      maxFeePerTxWei: 10n ** 17n,
    });
    const custom = loadConfig({
      OMS_MAX_IN_FLIGHT_PER_VAULT: "0",
      OMS_MAX_DEADLINE_SECONDS: "3600",
      OMS_MAX_SLIPPAGE_BPS: "300",
      OMS_MAX_FEE_PER_TX_WEI: "5000",
    });
    expect(custom).toMatchObject({
      intentLimits: { maxInFlightPerVault: null, maxDeadlineSeconds: 3_600, maxSlippageBps: 300 },
      maxFeePerTxWei: 5_000n,
    });
    expect(() => loadConfig({ OMS_MAX_SLIPPAGE_BPS: "20000" })).toThrow(/OMS_MAX_SLIPPAGE_BPS/);
  });

  it("names every invalid variable at once", () => {
    let message = "";
    try {
      loadConfig({ OMS_PORT: "x", VIEW_ONLY: "nobody=vault", DATABASE_URL: "mysql://db" });
    } catch (error) {
      message = error instanceof Error ? error.message : "";
    }
    for (const name of ["OMS_PORT", "VIEW_ONLY", "DATABASE_URL"]) expect(message).toContain(name);
  });
});
