import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { IntentEvent } from "../../../lib/defix";
import type { WebhookDelivery, WebhookEndpoint, WebhookWithSecret } from "../../../lib/defix/webhooks";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../../../scripts/lib/webhook-receiver";
import { type OmsWorld, poll, startOmsWorld } from "../../api/test-support/oms-world";
import { submission } from "../../domain/test-support/intents";
import { DIALECTS } from "../../store/test-support/databases";
import { raiseAlert, resolveAlert } from "../alerts/changes";

const MANAGER_ONE = devAccount(1).address; // primary of ALPHA and BETA
const VIEWER = devAccount(3).address; // VIEW_ONLY on ALPHA
const OUTSIDER = devAccount(5).address;

type Json = Record<string, unknown>;

describe.each(DIALECTS)("signed webhooks on %s (real OMS, real receiver)", (dialect) => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let receiver: WebhookReceiver;
  let hook: WebhookWithSecret;
  let onlyId = "";

  beforeAll(async () => {
    // Retries 1 s apart; disabled after 6 failures in a row (the flapping receiver fails fewer).
    w = await startOmsWorld(dialect, {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "1",
      WEBHOOK_RETRY_SCHEDULE: "1,1,1,1,1,1,1,1",
      WEBHOOK_DISABLE_AFTER_FAILURES: "6",
      WEBHOOK_DISABLE_AFTER_MINUTES: "0",
    });
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA")!;
    receiver = await startWebhookReceiver({ quiet: true });
  });
  afterAll(async () => {
    await w?.stop();
    await receiver?.close();
  });

  const api = (method: string, path: string, sub: string, body?: unknown) => w.api(method, path, sub, body);

  let submitted = 0;
  const submittedIds: string[] = [];
  async function submitIntent(): Promise<string> {
    submitted += 1;
    const body = submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: String(1000 + submitted) });
    const res = await api("POST", "/defix/intents", MANAGER_ONE, body);
    expect(res.status).toBe(201);
    const id = String((res.body as { id: string }).id);
    submittedIds.push(id);
    return id;
  }

  const eventsOf = async (intentId: string) =>
    ((await api("GET", `/defix/intents/${intentId}/events`, MANAGER_ONE)).body as { events: IntentEvent[] }).events;
  const receivedEventIds = () =>
    new Set(
      receiver.received
        .filter((item) => item.status < 300 && item.type === "intent.event")
        .map((item) => (item.body as { data: { event: { event_id: string } } }).data.event.event_id),
    );
  /** Every event the intents have now has arrived, answered 2xx. */
  async function waitForEveryEvent(intentIds: string[]) {
    await poll(async () => {
      const events = (await Promise.all(intentIds.map(eventsOf))).flat();
      const got = receivedEventIds();
      return events.length > 0 && events.every((event) => got.has(event.event_id)) ? events : null;
    }, "every event at the receiver");
  }

  it("a manager subscribes; the secret is shown once, sealed at rest, and only managers see the endpoint", async () => {
    const created = await api("POST", `/defix/vaults/${alpha.vault_id}/webhooks`, MANAGER_ONE, {
      url: receiver.url,
      description: "local receiver",
    });
    expect(created.status).toBe(201);
    hook = created.body as unknown as WebhookWithSecret;
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook).toMatchObject({ enabled: true, event_types: ["*"], alert_kinds: ["*"] });
    receiver.addSecret(hook.secret);

    const list = await api("GET", `/defix/vaults/${alpha.vault_id}/webhooks`, MANAGER_ONE);
    const one = await api("GET", `/defix/webhooks/${hook.webhook_id}`, MANAGER_ONE);
    expect(list.status).toBe(200);
    for (const text of [list.text, one.text]) expect(text).not.toContain(hook.secret.slice(6));
    const stored = await w.oms.db.db
      .selectFrom("webhook_endpoints" as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(stored)).not.toContain(hook.secret.slice(6));

    expect((await api("GET", `/defix/vaults/${alpha.vault_id}/webhooks`, VIEWER)).status).toBe(403);
    const outsider = await api("GET", `/defix/webhooks/${hook.webhook_id}`, OUTSIDER);
    expect([outsider.status, (outsider.body.error as Json).code]).toEqual([404, "WEBHOOK_NOT_FOUND"]);
    const bad = await api("POST", `/defix/vaults/${alpha.vault_id}/webhooks`, MANAGER_ONE, {
      url: "ftp://example.com/x",
    });
    expect([bad.status, (bad.body.error as Json).code]).toEqual([400, "WEBHOOK_URL_INVALID"]);
  });

  it("every event reaches the receiver, signed so the package's verifier accepts it", async () => {
    const only = await api("POST", `/defix/vaults/${alpha.vault_id}/webhooks`, MANAGER_ONE, {
      url: `${receiver.url}received-only`,
      event_types: ["INTENT_RECEIVED"],
      alert_kinds: [],
    });
    expect(only.status).toBe(201);
    receiver.addSecret((only.body as unknown as WebhookWithSecret).secret);
    onlyId = (only.body as unknown as WebhookWithSecret).webhook_id;
    const ids = [await submitIntent(), await submitIntent()];
    await waitForEveryEvent(ids);
    const mine = receiver.received.filter((item) => item.type === "intent.event");
    expect(mine.every((item) => item.verified === true)).toBe(true);
    const first = mine[0]?.body as { type: string; timestamp: string; data: Json; text: string };
    expect(first).toMatchObject({ type: "intent.event", data: { vault_id: alpha.vault_id } });
    expect(first.text).toContain("DeFiX");
    // The filtered endpoint got INTENT_RECEIVED only, one per intent.
    await receiver.waitFor(
      (accepted) => accepted.filter((item) => item.raw.includes("INTENT_RECEIVED")).length >= 4,
      "INTENT_RECEIVED at both endpoints",
    );
    const log = await api(
      "GET",
      `/defix/webhooks/${(only.body as unknown as WebhookEndpoint).webhook_id}/deliveries`,
      MANAGER_ONE,
    );
    const deliveries = (log.body as { deliveries: WebhookDelivery[] }).deliveries;
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((delivery) => delivery.status === "succeeded" && delivery.last_status_code === 200)).toBe(
      true,
    );
  });

  it("a receiver that fails then recovers gets every delivery; the retries are in the log", async () => {
    // Fail the first 3 deliveries of this test's intent to `hook` (the filtered endpoint posts to another path):
    // failing by arrival count let the earlier intents' late events, or the filtered endpoint, take the failures.
    const earlier = new Set(submittedIds);
    let failures = 0;
    receiver.respondWith((_n, delivery) => {
      const event = (delivery.body as { data?: { event?: { intent_id?: string } } } | null)?.data?.event;
      const isOurs = event?.intent_id !== undefined && !earlier.has(event.intent_id);
      if (!isOurs || delivery.path.includes("received-only") || failures >= 3) return 200;
      failures += 1;
      return 503;
    });
    const id = await submitIntent();
    await waitForEveryEvent([id]);
    // Every event arrived somewhere (the filtered endpoint too); the endpoint under test retries 1 s apart.
    const retried = await poll(async () => {
      const log = await api("GET", `/defix/webhooks/${hook.webhook_id}/deliveries?limit=100`, MANAGER_ONE);
      const deliveries = (log.body as { deliveries: WebhookDelivery[] }).deliveries.filter(
        (delivery) => delivery.attempts > 1,
      );
      return deliveries.length > 0 && deliveries.every((delivery) => delivery.status === "succeeded")
        ? deliveries
        : null;
    }, "the failed deliveries retried until they succeed");
    expect(failures).toBeGreaterThan(0);
    receiver.respondWith(() => 200);
    for (const delivery of retried) {
      expect(delivery.status).toBe("succeeded");
      expect(delivery.attempt_log[0]).toMatchObject({ status_code: 503, succeeded: false, error: "HTTP 503" });
      expect(delivery.attempt_log.at(-1)).toMatchObject({ status_code: 200, succeeded: true });
      expect(delivery.attempt_log[0]?.response_excerpt).toContain("received");
    }
  });

  it("alert raises and resolves reach subscribed endpoints, with a Slack-ready text", async () => {
    const key = `KILL_SWITCH_ENGAGED:${alpha.vault_id}:test`;
    const base = { vault_id: alpha.vault_id, kind: "KILL_SWITCH_ENGAGED" as const, key, severity: "critical" as const };
    await raiseAlert(w.oms.db.db, {
      ...base,
      title: "Kill switch engaged",
      message: "Strategies paused",
      now: new Date(),
    });
    await resolveAlert(w.oms.db.db, { key, now: new Date() });
    const ofKey = (type: string) => (item: ReceivedWebhook) =>
      item.type === type && item.raw.includes("KILL_SWITCH_ENGAGED");
    await receiver.waitFor(
      (accepted) => accepted.some(ofKey("alert.raised")) && accepted.some(ofKey("alert.resolved")),
      "the alert's raise and resolve",
    );
    const raised = receiver.received.find(ofKey("alert.raised"));
    expect(raised?.verified).toBe(true);
    expect((raised?.body as { text?: string } | undefined)?.text).toContain("Kill switch engaged: Strategies paused");
    // The endpoint subscribed to INTENT_RECEIVED only (alert_kinds: []) got no alert.
    const log = await api("GET", `/defix/webhooks/${onlyId}/deliveries?limit=100`, MANAGER_ONE);
    const types = (log.body as { deliveries: WebhookDelivery[] }).deliveries.map((delivery) => delivery.type);
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((type) => type === "intent.event")).toBe(true);
  });

  it("a test ping arrives and a redelivery sends it again with the same webhook-id", async () => {
    const ping = await api("POST", `/defix/webhooks/${hook.webhook_id}/test`, MANAGER_ONE);
    expect(ping.status).toBe(202);
    const delivery = ping.body as unknown as WebhookDelivery;
    await receiver.waitFor((accepted) => accepted.some((item) => item.id === delivery.delivery_id), "the test ping");
    await poll(async () => {
      const one = await api(
        "GET",
        `/defix/webhooks/${hook.webhook_id}/deliveries/${delivery.delivery_id}`,
        MANAGER_ONE,
      );
      return (one.body as unknown as WebhookDelivery).status === "succeeded" ? true : null;
    }, "the ping to be logged");
    const again = await api(
      "POST",
      `/defix/webhooks/${hook.webhook_id}/deliveries/${delivery.delivery_id}/redeliver`,
      MANAGER_ONE,
    );
    expect(again.status).toBe(202);
    await receiver.waitFor(
      (accepted) => accepted.filter((item) => item.id === delivery.delivery_id).length === 2,
      "the redelivery",
    );
    expect(receiver.received.filter((item) => item.id === delivery.delivery_id).every((item) => item.verified)).toBe(
      true,
    );
  });

  it("an endpoint that keeps failing is disabled with its reason; enabling it again delivers what waited", async () => {
    const down = await startWebhookReceiver({ quiet: true });
    try {
      down.respondWith(() => 500);
      const created = await api("POST", `/defix/vaults/${alpha.vault_id}/webhooks`, MANAGER_ONE, {
        url: down.url,
        event_types: [],
        alert_kinds: [],
      });
      const id = (created.body as unknown as WebhookEndpoint).webhook_id;
      const ping = (await api("POST", `/defix/webhooks/${id}/test`, MANAGER_ONE)).body as unknown as WebhookDelivery;
      const disabled = await poll(async () => {
        const one = (await api("GET", `/defix/webhooks/${id}`, MANAGER_ONE)).body as unknown as WebhookEndpoint;
        return one.enabled ? null : one;
      }, "auto-disable");
      expect(disabled.disabled_reason).toContain("6 delivery attempts in a row failed");
      // The owner is told: a WEBHOOK_DISABLED alert, delivered to the vault's other endpoint.
      const isAlert = (change: string) => (item: ReceivedWebhook) =>
        item.type === `alert.${change}` && item.raw.includes("WEBHOOK_DISABLED") && item.raw.includes(id);
      await receiver.waitFor((accepted) => accepted.some(isAlert("raised")), "the WEBHOOK_DISABLED alert");
      const refused = await api("POST", `/defix/webhooks/${id}/test`, MANAGER_ONE);
      expect([refused.status, (refused.body.error as Json).code]).toEqual([409, "WEBHOOK_DISABLED"]);

      down.respondWith(() => 200);
      const enabled = await api("PATCH", `/defix/webhooks/${id}`, MANAGER_ONE, { enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
      await down.waitFor((accepted) => accepted.some((item) => item.id === ping.delivery_id), "the waiting ping");
      await receiver.waitFor((accepted) => accepted.some(isAlert("resolved")), "the alert resolved");
      expect((await api("DELETE", `/defix/webhooks/${id}`, MANAGER_ONE)).status).toBe(200);
      expect((await api("GET", `/defix/webhooks/${id}`, MANAGER_ONE)).status).toBe(404);
    } finally {
      await down.close();
    }
  });
});
