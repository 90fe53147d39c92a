import fc from "fast-check";
import { formatUnits as viemFormatUnits } from "viem";
import { describe, expect, it } from "vitest";
import { formatUnits } from "./units";

describe("formatUnits", () => {
  it("places the decimal point exactly and drops trailing zeros", () => {
    expect(formatUnits(1_500_000n, 6)).toBe("1.5");
    expect(formatUnits(1n, 18)).toBe("0.000000000000000001");
    expect(formatUnits(-1n, 18)).toBe("-0.000000000000000001");
    expect(formatUnits(10n ** 24n, 18)).toBe("1000000");
    expect(formatUnits(0n, 6)).toBe("0");
    expect(formatUnits(123n, 0)).toBe("123");
    expect(formatUnits(2n ** 256n - 1n, 18)).toBe(
      "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
    );
  });

  it("refuses a scale that is not a whole number ≥ 0", () => {
    expect(() => formatUnits(1n, -1)).toThrow(RangeError);
    expect(() => formatUnits(1n, 1.5)).toThrow(RangeError);
  });

  it("agrees with viem's formatUnits for any amount and scale", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 256n), max: 2n ** 256n }),
        fc.integer({ min: 0, max: 40 }),
        (value, decimals) => {
          expect(formatUnits(value, decimals)).toBe(viemFormatUnits(value, decimals));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
