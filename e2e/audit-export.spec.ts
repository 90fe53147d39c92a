import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

const run = promisify(execFile);

/** Chooses a format, presses Export and waits for the browser's download of the finished file. */
async function exportView(page: Page, format: "csv" | "jsonl", into: string): Promise<string> {
  await page.getByRole("combobox", { name: "Export format" }).selectOption(format);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export", exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-.*-view-.*\\.${format}$`));
  const file = path.join(into, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test("Export on the intent history downloads exactly the filtered view, and the file verifies", async ({
  page,
  request,
  stack,
  signIn,
}, testInfo) => {
  test.setTimeout(150_000); // a key grant and two executions on the chain first
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  const first = await oms.submitDeposit(alpha);
  const second = await oms.submitDeposit(alpha);
  await oms.waitForState(first.id, "COMPLETED");
  await oms.waitForState(second.id, "COMPLETED");

  const ui = new IntentsPage(page);
  const query = new URLSearchParams({ vault_id: alpha.vault_id, state: "COMPLETED", q: first.id });
  await ui.gotoHistory(`?${query}`);
  await expect(ui.row(first.id)).toBeVisible();
  await expect(ui.row(second.id)).toHaveCount(0);

  const status = page.getByTestId("export-status");
  const jsonl = await exportView(page, "jsonl", testInfo.outputDir);
  await expect(status).toHaveAttribute("data-state", "done");
  await expect(status).toContainText(/Exported \d+ records/);
  const verified = await run("npx", ["tsx", "scripts/audit/cli.ts", "verify", jsonl, "--rpc", stack.rpcUrl]);
  expect(verified.stdout).toContain("OK ");
  expect(verified.stdout).toContain("1 intents each complete from seq 1");
  // The file holds the filtered view only: the one intent the search selected, the other deposit not.
  const manifest = JSON.parse(readFileSync(jsonl, "utf8").trim().split("\n").at(-1) ?? "{}") as {
    manifest: { heads: { intent_id: string }[]; view: Record<string, unknown> };
  };
  expect(manifest.manifest.heads.map((head) => head.intent_id)).toEqual([first.id]);
  expect(manifest.manifest.view).toEqual({ state: ["COMPLETED"], q: first.id });

  const csv = await exportView(page, "csv", testInfo.outputDir);
  expect(readFileSync(csv, "utf8").startsWith("n,kind,intent_id,")).toBe(true);
  expect((await run("npx", ["tsx", "scripts/audit/cli.ts", "verify", csv])).stdout).toContain("OK ");

  // A changed byte in the downloaded file is caught.
  const tampered = path.join(testInfo.outputDir, "tampered.jsonl");
  const text = readFileSync(jsonl, "utf8");
  const changed = text.replace(/"seq_num":1([,}])/, '"seq_num":2$1');
  expect(changed).not.toBe(text);
  writeFileSync(tampered, changed);
  await expect(run("npx", ["tsx", "scripts/audit/cli.ts", "verify", tampered])).rejects.toMatchObject({ code: 1 });
});

test("Export needs one vault: with several vaults and none chosen it says so", async ({ page, signIn }) => {
  await signIn(1); // account 1 manages Alpha and Beta
  const ui = new IntentsPage(page);
  await ui.gotoHistory();
  await expect(page.getByRole("button", { name: "Export", exact: true })).toBeDisabled();
  await expect(page.getByTestId("export-status")).toHaveText("Choose a vault to export its view");
});

test("the intent detail shows its audit chain; the copied and downloaded proof verifies", async ({
  page,
  request,
  stack,
  signIn,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(1);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  const intent = await oms.submitDeposit(alpha);
  await oms.waitForState(intent.id, "COMPLETED");
  const events = await oms.events(intent.id);
  const head = events.at(-1);

  const ui = new IntentsPage(page);
  await ui.gotoDetail(intent.id);
  const panel = page.getByTestId("chain-panel");
  await expect(panel.getByRole("heading", { name: "Audit chain" })).toBeVisible();
  await expect(panel.getByTestId("chain-head")).toContainText(`seq ${head?.seq_num}`);
  await expect(panel.getByTestId("chain-head")).toContainText(head?.hash ?? "no head");
  await expect(panel.getByTestId("chain-checkpoint")).toContainText(/Checkpoint \d+ of the vault/, { timeout: 30_000 });

  await panel.getByRole("button", { name: "Copy proof" }).click();
  await expect(panel.getByRole("status")).toHaveText("Proof copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  mkdirSync(testInfo.outputDir, { recursive: true });
  const copiedFile = path.join(testInfo.outputDir, "copied-proof.json");
  writeFileSync(copiedFile, copied);
  const verified = await run("npx", ["tsx", "scripts/audit/cli.ts", "verify-proof", copiedFile]);
  expect(verified.stdout).toMatch(new RegExp(`^OK .*intent ${intent.id}, ${events.length} events .*held at seq`));

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("button", { name: "Download proof" }).click(),
  ]);
  const downloaded = path.join(testInfo.outputDir, download.suggestedFilename());
  await download.saveAs(downloaded);
  expect((await run("npx", ["tsx", "scripts/audit/cli.ts", "verify-proof", downloaded])).stdout).toContain("OK ");
});
