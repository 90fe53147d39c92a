import { type Hex, verifyMessage } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import * as viemSiwe from "viem/siwe";
import { createSiweMessage } from "viem/siwe";
import { describe, expect, it, vi } from "vitest";
import { createNonceStore, type NonceStore } from "./nonce-store";
import { SiweError, type SiweFailure, type SiweVerifierDeps, verifySiwe } from "./siwe";
import { SIWE_LIMITS } from "./siwe-bounds";

// The real parser, observed: hostile input must be refused before it runs.
vi.mock("viem/siwe", async (importOriginal) => {
  const original = await importOriginal<typeof import("viem/siwe")>();
  return { ...original, parseSiweMessage: vi.fn(original.parseSiweMessage) };
});

async function issued(nonces: NonceStore): Promise<string> {
  const issue = await nonces.issue("test-client");
  if (!issue.ok) throw new Error(`nonce refused: ${issue.reason}`);
  return issue.nonce;
}

// A throwaway key: the test signs real EIP-191 messages, as a wallet would.
const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const other = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const DOMAIN = "localhost:3000";

function setup(overrides: Partial<SiweVerifierDeps> = {}) {
  const nonces = createNonceStore();
  const deps: SiweVerifierDeps = {
    domain: DOMAIN,
    chainId: 31337,
    nonces,
    verifySignature: ({ address, message, signature }) => verifyMessage({ address, message, signature }),
    ...overrides,
  };
  const sign = async (fields: Partial<Parameters<typeof createSiweMessage>[0]> = {}, signer = account) => {
    const message = createSiweMessage({
      address: account.address,
      chainId: 31337,
      domain: DOMAIN,
      nonce: await issued(nonces),
      uri: `http://${DOMAIN}`,
      version: "1",
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 5 * 60_000),
      ...fields,
    });
    const signature: Hex = await signer.signMessage({ message });
    return { message, signature };
  };
  return { deps, nonces, sign };
}

async function refusal(promise: Promise<unknown>): Promise<SiweFailure> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SiweError);
  return (error as SiweError).reason;
}

describe("verifySiwe", () => {
  it("accepts a fresh, correctly signed message and returns the lower-cased address", async () => {
    const { deps, sign } = setup();
    await expect(verifySiwe(deps, await sign())).resolves.toBe(account.address.toLowerCase());
  });

  it("refuses a replayed message: the nonce is single-use", async () => {
    const { deps, sign } = setup();
    const signed = await sign();
    await verifySiwe(deps, signed);
    expect(await refusal(verifySiwe(deps, signed))).toBe("NONCE_INVALID");
  });

  it("refuses a nonce the server never issued", async () => {
    const { deps, sign } = setup();
    expect(await refusal(verifySiwe(deps, await sign({ nonce: "madeup12345678" })))).toBe("NONCE_INVALID");
  });

  it("refuses an expired nonce", async () => {
    let clock = 0;
    const nonces = createNonceStore({ ttlMs: 1000, now: () => clock });
    const { deps, sign } = setup({ nonces });
    const signed = await sign();
    clock = 1001;
    expect(await refusal(verifySiwe(deps, signed))).toBe("NONCE_INVALID");
  });

  it("refuses a message for another domain, and burns its nonce", async () => {
    const { deps, sign, nonces } = setup();
    const signed = await sign({ domain: "evil.example" });
    expect(await refusal(verifySiwe(deps, signed))).toBe("DOMAIN_MISMATCH");
    expect(await nonces.size()).toBe(0);
  });

  it("refuses a message for another chain", async () => {
    const { deps, sign } = setup();
    expect(await refusal(verifySiwe(deps, await sign({ chainId: 1 })))).toBe("CHAIN_MISMATCH");
  });

  it("refuses an expired message", async () => {
    const { deps, sign } = setup();
    const signed = await sign({
      issuedAt: new Date(Date.now() - 120_000),
      expirationTime: new Date(Date.now() - 1000),
    });
    expect(await refusal(verifySiwe(deps, signed))).toBe("EXPIRED");
  });

  it("refuses a message issued too long ago or in the future", async () => {
    const { deps, sign } = setup();
    expect(await refusal(verifySiwe(deps, await sign({ issuedAt: new Date(Date.now() - 3_600_000) })))).toBe(
      "ISSUED_AT_INVALID",
    );
    expect(await refusal(verifySiwe(deps, await sign({ issuedAt: new Date(Date.now() + 3_600_000) })))).toBe(
      "ISSUED_AT_INVALID",
    );
  });

  it("refuses a signature by another key", async () => {
    const { deps, sign } = setup();
    expect(await refusal(verifySiwe(deps, await sign({}, other)))).toBe("BAD_SIGNATURE");
  });

  it("refuses text that is not a SIWE message", async () => {
    const { deps } = setup();
    expect(await refusal(verifySiwe(deps, { message: "hello", signature: "0x00" }))).toBe("MALFORMED");
  });

  it("refuses a pathological message (146 KiB of 'URI: ') as MALFORMED without parsing it", async () => {
    const { deps, sign } = setup();
    const { message: real, signature } = await sign();
    const parse = vi.mocked(viemSiwe.parseSiweMessage);
    parse.mockClear();
    const hostile = [
      "URI: ".repeat(30_000),
      `${real}\n${"URI: ".repeat(30_000)}`,
      `${real}\nURI: x`.repeat(30),
      real.replace("Nonce:", `${"x".repeat(SIWE_LIMITS.maxLineChars)}\nNonce:`),
      real.replace("\nURI:", "\nfirst statement\n\nsecond statement\nURI:"),
    ];
    for (const message of hostile) {
      const started = performance.now();
      expect(await refusal(verifySiwe(deps, { message, signature }))).toBe("MALFORMED");
      expect(performance.now() - started).toBeLessThan(50);
    }
    expect(parse).not.toHaveBeenCalled();
  });

  it("refuses an oversized or odd-length signature as MALFORMED without consuming the nonce", async () => {
    const { deps, sign, nonces } = setup();
    const { message } = await sign();
    for (const signature of [`0x${"ab".repeat(SIWE_LIMITS.maxSignatureChars)}`, "0xabc", "0x"] as Hex[]) {
      expect(await refusal(verifySiwe(deps, { message, signature }))).toBe("MALFORMED");
    }
    expect(await nonces.size()).toBe(1);
  });

  it("accepts the shapes real wallets produce: statement, resources, no statement", async () => {
    const { deps, sign } = setup();
    await expect(
      verifySiwe(deps, await sign({ statement: "Sign in to the DeFiX console.", resources: ["https://a.example/x"] })),
    ).resolves.toBe(account.address.toLowerCase());
    await expect(verifySiwe(deps, await sign({ requestId: "r-1", notBefore: new Date() }))).resolves.toBe(
      account.address.toLowerCase(),
    );
  });
});
