import { describe, expect, it } from "vitest";
import { loadRunnerConfig } from "./config";

describe("loadRunnerConfig", () => {
  it("trusts a JWKS only over https, or plain http on this machine, like the OMS", () => {
    expect(() => loadRunnerConfig({ OMS_JWKS_URL: "http://issuer.example/jwks" })).toThrow(/https/);
    expect(loadRunnerConfig({ OMS_JWKS_URL: "https://issuer.example/jwks" }).jwt.jwksUrl).toBe(
      "https://issuer.example/jwks",
    );
    expect(loadRunnerConfig({ OMS_JWKS_URL: "http://localhost:3000/api/auth/jwks" }).jwt.jwksUrl).toBe(
      "http://localhost:3000/api/auth/jwks",
    );
  });
});

describe("VIEW_ONLY", () => {
  it("refuses to boot on a malformed grant, like the OMS, instead of granting nothing", () => {
    expect(() => loadRunnerConfig({ VIEW_ONLY: "0x90f79bf6eb2c4f870365e785982e1f101e93b906=vault-a" })).toThrow(
      /VIEW_ONLY entry/,
    );
  });
});
