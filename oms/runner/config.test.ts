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
