import { type Address, maxUint256, parseEventLogs } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, yieldSourceAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { PREVIOUS_OUTPUT } from "./hooks-call";
import { DAY, DUSD, LIMIT_MODES, type LimitsMode, type LimitsWorld, setupLimits } from "./limits-support";

/**
 * A malicious (or simply compromised) session key calls the contract holding it directly and tries to outrun its
 * budgets, in every account mode: the executor (OMS), the vault account (EIP4337), the companion and the 7702 EOA.
 */

let world: World;
const byMode = new Map<LimitsMode, LimitsWorld>();
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
  for (const { mode } of LIMIT_MODES) byMode.set(mode, await setupLimits(world, mode));
}, 120_000);
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

const depositOf = (amount: bigint, source = "ysAAVE") => ({ label: `Deposit4626Hook:${source}`, amount });

describe.each(LIMIT_MODES)("StrategyBudgets in mode $mode ($symbol)", ({ mode }) => {
  let limits: LimitsWorld;
  let deposit: Address;
  let redeem: Address;
  beforeAll(() => {
    const found = byMode.get(mode);
    if (!found) throw new Error(`no limits world for ${mode}`);
    limits = found;
    deposit = limits.hook("Deposit4626Hook:ysAAVE");
    redeem = limits.hook("Redeem4626Hook:ysAAVE");
  });

  it("lets only the primary manager set a budget, and announces it", async () => {
    const others = [world.accounts.managerOne, world.accounts.managerTwo, world.accounts.outsider, limits.key];
    for (const caller of others.filter((account) => account.address !== limits.primary.address)) {
      const attempt = limits.setBudget(deposit, { maxAmount: 1n, period: DAY }, caller);
      expect((await revertOf(attempt)).errorName).toBe("NotPrimaryManager");
    }
    const receipt = (await limits.setBudget(deposit, { maxAmount: 100n * DUSD, maxExecutions: 5, period: DAY })) as {
      logs: Parameters<typeof parseEventLogs>[0]["logs"];
    };
    const [event] = parseEventLogs({ abi: sessionKeyExecutorAbi, eventName: "BudgetSet", logs: receipt.logs });
    expect(event?.args).toMatchObject({ strategy: limits.vault, hook: deposit, maxAmount: 100n * DUSD, period: DAY });
    expect(
      await world.publicClient.readContract({
        address: limits.holder,
        abi: sessionKeyExecutorAbi,
        functionName: "getBudget",
        args: [limits.vault, deposit],
      }),
    ).toEqual([100n * DUSD, 5, DAY, false]);
    const tooLong = limits.setBudget(deposit, { maxAmount: 1n, period: 400 * DAY });
    expect((await revertOf(tooLong)).errorName).toBe("InvalidBudgetPeriod");
  });

  it("holds against split amounts: across calls and across legs of one call", async () => {
    await limits.setBudget(deposit, { maxAmount: 100n * DUSD, period: DAY });
    await limits.execute([depositOf(60n * DUSD)]);
    await limits.execute([depositOf(40n * DUSD, "ysMORPHO")]); // same hook, other source: same budget
    const [used, , remaining] = await limits.state(deposit);
    expect([used, remaining]).toEqual([100n * DUSD, 0n]);

    const overrun = await revertOf(limits.execute([depositOf(1n)]));
    expect(overrun.errorName).toBe("BudgetExceeded");
    expect(overrun.args.slice(0, 5)).toEqual([limits.vault, deposit, 1n, 0n, maxUint256]);
    expect(overrun.args[5]).toBeGreaterThan(await world.latestTimestamp());

    // A fresh window, then two legs that together exceed it: the whole call reverts, nothing is charged.
    await world.advance(DAY);
    const legs = await revertOf(limits.execute([depositOf(60n * DUSD), depositOf(50n * DUSD, "ysMORPHO")]));
    expect(legs.errorName).toBe("BudgetExceeded");
    expect((await limits.state(deposit))[0]).toBe(0n);
  });

  it("holds against many small calls (execution count)", async () => {
    await limits.setBudget(deposit, { maxAmount: 0n, maxExecutions: 3, period: DAY });
    for (let i = 0; i < 3; i++) await limits.execute([depositOf(1n)]);
    const [, usedExecutions, remainingAmount, remainingExecutions] = await limits.state(deposit);
    expect([usedExecutions, remainingAmount, remainingExecutions]).toEqual([3n, maxUint256, 0n]);
    expect((await revertOf(limits.execute([depositOf(1n)]))).errorName).toBe("BudgetExceeded");
    // Three legs in one call are three executions.
    await world.advance(DAY);
    const many = limits.execute([depositOf(1n), depositOf(1n), depositOf(1n), depositOf(1n)]);
    expect((await revertOf(many)).errorName).toBe("BudgetExceeded");
  });

  it("fixed window: refused one second before the window ends, allowed at its end", async () => {
    await limits.setBudget(deposit, { maxAmount: 100n * DUSD, period: DAY });
    await limits.execute([depositOf(100n * DUSD)]);
    const refillAt = (await limits.state(deposit))[4];
    expect(await limits.executeAt(refillAt - 1n, [depositOf(1n)])).toBe("reverted");
    expect(await limits.executeAt(refillAt, [depositOf(100n * DUSD)])).toBe("success");
    expect((await limits.state(deposit))[4]).toBe(refillAt + BigInt(DAY));
  });

  it("rolling window: spending at the edge does not double the budget; it refills pro rata", async () => {
    await limits.setBudget(deposit, { maxAmount: 100n * DUSD, period: DAY, rolling: true });
    await limits.execute([depositOf(100n * DUSD)]);
    const start = await world.latestTimestamp();
    const [, , , , refillAt] = await limits.state(deposit);
    expect(refillAt).toBe(start + BigInt(DAY));
    // A second later almost nothing came back.
    expect(await limits.executeAt(start + 1n, [depositOf(1n * DUSD)])).toBe("reverted");
    // Half a day later half came back: 50 passes, 50 more does not.
    const half = start + BigInt(DAY / 2);
    expect(await limits.executeAt(half, [depositOf(50n * DUSD)])).toBe("success");
    expect(await limits.executeAt(half + 1n, [depositOf(50n * DUSD)])).toBe("reverted");
  });

  it("counts a REBALANCE once per leg, the deposit leg at the amount it really moved", async () => {
    const ysAave = world.manifest.contracts.yield_sources.find((source) => source.symbol === "ysAAVE")!.address;
    const sharesOf = () =>
      world.publicClient.readContract({
        address: ysAave,
        abi: yieldSourceAbi,
        functionName: "balanceOf",
        args: [limits.vault],
      });
    const before = await sharesOf();
    await limits.execute([depositOf(80n * DUSD)]);
    const shares = (await sharesOf()) - before;

    await limits.setBudget(redeem, { maxAmount: shares, maxExecutions: 1, period: DAY });
    // The redeem returns ~80 dUSD; a deposit budget of 79 must stop the "previous output" leg.
    await limits.setBudget(deposit, { maxAmount: 79n * DUSD, maxExecutions: 1, period: DAY });
    const rebalance = [
      { label: "Redeem4626Hook:ysAAVE", amount: shares },
      { label: "Deposit4626Hook:ysMORPHO", amount: PREVIOUS_OUTPUT },
    ];
    const refused = await revertOf(limits.execute(rebalance));
    expect(refused.errorName).toBe("BudgetExceeded");
    expect(refused.args[1]).toBe(deposit);
    const moved = refused.args[2] as bigint;
    expect(moved).not.toBe(PREVIOUS_OUTPUT);
    expect(80n * DUSD - moved).toBeLessThanOrEqual(1n);

    await limits.setBudget(deposit, { maxAmount: 80n * DUSD, maxExecutions: 1, period: DAY });
    await limits.execute(rebalance);
    const [redeemUsed, redeemCount] = await limits.state(redeem);
    const [depositUsed, depositCount] = await limits.state(deposit);
    expect([redeemUsed, redeemCount]).toEqual([shares, 1n]);
    expect([depositUsed, depositCount]).toEqual([moved, 1n]);
  });

  it("leaves hooks without a budget unlimited and reports them so", async () => {
    expect(await limits.state(deposit)).toEqual([0n, 0n, maxUint256, maxUint256, 0n]);
    await limits.execute([depositOf(500n * DUSD)]);
    expect(await limits.state(deposit)).toEqual([0n, 0n, maxUint256, maxUint256, 0n]);
  });
});
