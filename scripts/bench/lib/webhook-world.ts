import type { IntentEvent } from "../../../lib/defix";
import type { WebhookDelivery, WebhookWithSecret } from "../../../lib/defix/webhooks";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import { startWebhookReceiver, type WebhookReceiver } from "../../lib/webhook-receiver";
import { postIntent } from "../../reliability/lib/submitters";
import { buildOmsBundle } from "./bundle";
import type { ServiceProcess } from "./children";
import { startOms } from "./oms";
import { startWorld, type World } from "./world";

/** A bench world with an OMS (engine on) delivering a vault's events to a local receiver it subscribed. */
export interface WebhookWorld {
  world: World;
  oms: ServiceProcess;
  receiver: WebhookReceiver;
  vault: ManifestVault;
  hook: WebhookWithSecret;
  token: string;
  submit(seq: number): Promise<string | null>;
  events(intentId: string): Promise<IntentEvent[]>;
  deliveries(): Promise<WebhookDelivery[]>;
  stop(): Promise<void>;
}

export async function startWebhookWorld(env: Record<string, string>): Promise<WebhookWorld> {
  const world = await startWorld();
  const receiver = await startWebhookReceiver({ quiet: true });
  let oms: ServiceProcess | undefined;
  try {
    oms = await startOms(world, {
      workers: 1,
      entry: buildOmsBundle(),
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "1", ...env },
    });
    const vault = world.manifest.vaults[0];
    if (!vault) throw new Error("the dev world has no vault");
    const token = await world.token(vault.primary_manager);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const url = oms.url;
    const created = await fetch(`${url}/defix/vaults/${vault.vault_id}/webhooks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ url: receiver.url, alert_kinds: [] }),
    });
    if (created.status !== 201) throw new Error(`webhook create answered ${created.status}: ${await created.text()}`);
    const hook = (await created.json()) as WebhookWithSecret;
    receiver.addSecret(hook.secret);
    const running = oms;
    return {
      world,
      oms: running,
      receiver,
      vault,
      hook,
      token,
      async submit(seq) {
        const answer = await postIntent(url, token, vault, seq, 10_000);
        return answer.id ?? null;
      },
      async events(intentId) {
        const response = await fetch(`${url}/defix/intents/${intentId}/events`, { headers });
        return ((await response.json()) as { events: IntentEvent[] }).events;
      },
      async deliveries() {
        const all: WebhookDelivery[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor ? `&cursor=${cursor}` : "";
          const response = await fetch(`${url}/defix/webhooks/${hook.webhook_id}/deliveries?limit=100${query}`, {
            headers,
          });
          const page = (await response.json()) as { deliveries: WebhookDelivery[]; next_cursor: string | null };
          all.push(...page.deliveries);
          cursor = page.next_cursor;
        } while (cursor);
        return all;
      },
      async stop() {
        await running.stop();
        await receiver.close();
        await world.stop();
      },
    };
  } catch (error) {
    await oms?.stop();
    await receiver.close();
    await world.stop();
    throw error;
  }
}
