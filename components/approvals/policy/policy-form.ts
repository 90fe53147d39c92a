import { type ApprovalPolicy, type ApprovalRule, ApprovalPolicy as PolicySchema } from "@/lib/defix/approvals";
import type { IntentAction } from "@/lib/defix/intents";

/** The editor's fields as the form holds them (strings while typed; lists one address a line). */
export interface PolicyForm {
  display_name: string;
  always: boolean;
  actions: IntentAction[];
  size_above: string;
  targets: string;
  managers: boolean;
  addresses: string;
  threshold: string;
  tolerance_bps: string;
}

export const EMPTY_FORM: PolicyForm = {
  display_name: "",
  always: false,
  actions: [],
  size_above: "",
  targets: "",
  managers: true,
  addresses: "",
  threshold: "1",
  tolerance_bps: "100",
};

const lines = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length > 0);

export function formFromPolicy(policy: ApprovalPolicy | null): PolicyForm {
  if (policy === null) return EMPTY_FORM;
  const form: PolicyForm = {
    ...EMPTY_FORM,
    display_name: policy.display_name,
    managers: policy.members.managers,
    addresses: policy.members.addresses.join("\n"),
    threshold: String(policy.threshold),
    tolerance_bps: String(policy.tolerance_bps),
  };
  for (const rule of policy.rules) {
    if (rule.kind === "always") form.always = true;
    if (rule.kind === "action") form.actions = [...new Set([...form.actions, ...rule.actions])];
    if (rule.kind === "size_above") form.size_above = rule.threshold;
    if (rule.kind === "target") form.targets = [...lines(form.targets), ...rule.addresses].join("\n");
  }
  return form;
}

/** The policy the form describes, or the first problem in words (the same checks the OMS makes). */
export function policyFromForm(form: PolicyForm): { policy: ApprovalPolicy } | { error: string } {
  const rules: ApprovalRule[] = [];
  if (form.always) rules.push({ kind: "always" });
  if (form.actions.length > 0) rules.push({ kind: "action", actions: form.actions });
  if (form.size_above.trim()) rules.push({ kind: "size_above", threshold: form.size_above.trim() });
  const targets = lines(form.targets);
  if (targets.length > 0) rules.push({ kind: "target", addresses: targets as `0x${string}`[] });
  const parsed = PolicySchema.safeParse({
    display_name: form.display_name,
    rules,
    members: { managers: form.managers, addresses: lines(form.addresses) },
    threshold: Number(form.threshold),
    tolerance_bps: Number(form.tolerance_bps),
  });
  if (parsed.success) return { policy: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { error: "the policy is not valid" };
  const where = issue.path.join(".");
  return { error: where ? `${where}: ${issue.message}` : issue.message };
}

/** One line per rule, for the version history and the preview. */
export function describeRule(rule: ApprovalRule): string {
  switch (rule.kind) {
    case "always":
      return "every intent";
    case "action":
      return `action is ${rule.actions.join(" or ")}`;
    case "size_above":
      return `size above ${rule.threshold} base units`;
    case "target":
      return `target is one of ${rule.addresses.length} address(es)`;
  }
}
