import type { APIRequestContext } from "@playwright/test";
import type { StackInfo } from "../fixtures/env";

/** One delivery as the stack's local receiver recorded it (`GET /?format=json`). */
export interface Arrival {
  id: string;
  type: string | null;
  verified: boolean | null;
  status: number;
  body: { type?: string; text?: string; data?: { change?: string; alert?: { intent_id?: string | null } } } | null;
}

/**
 * The stack's local webhook receiver, subscribed to a vault through the OMS API (as a manager's script
 * would): the endpoint's secret is pasted into the receiver so it verifies each signature.
 */
export class ReceiverSubscription {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly stack: StackInfo,
    private readonly bearer: string,
    readonly receiverUrl: string,
    readonly webhookId: string,
  ) {}

  static async create(
    request: APIRequestContext,
    stack: StackInfo,
    bearer: string,
    vaultId: string,
    subscription: { event_types: string[]; alert_kinds: string[] },
  ): Promise<ReceiverSubscription> {
    const receiverUrl = stack.webhookReceiverUrl ?? "";
    const created = await request.post(`${stack.omsUrl}/defix/vaults/${encodeURIComponent(vaultId)}/webhooks`, {
      headers: { authorization: `Bearer ${bearer}` },
      data: { url: `${receiverUrl}e2e-alerts-${Date.now()}`, description: "e2e alerts", ...subscription },
    });
    if (!created.ok()) throw new Error(`webhook create: ${created.status()} ${await created.text()}`);
    const { webhook_id, secret } = (await created.json()) as { webhook_id: string; secret: string };
    const pasted = await request.post(`${receiverUrl}secrets`, { form: { secret }, maxRedirects: 0 });
    if (pasted.status() !== 303) throw new Error(`receiver refused the secret: ${pasted.status()}`);
    return new ReceiverSubscription(request, stack, bearer, receiverUrl, webhook_id);
  }

  /** The newest arrivals at the receiver (all endpoints'). */
  async arrivals(): Promise<Arrival[]> {
    return ((await (await this.request.get(`${this.receiverUrl}?format=json`)).json()) as { received: Arrival[] })
      .received;
  }

  async delete(): Promise<void> {
    const response = await this.request.delete(`${this.stack.omsUrl}/defix/webhooks/${this.webhookId}`, {
      headers: { authorization: `Bearer ${this.bearer}` },
    });
    if (!response.ok()) throw new Error(`webhook delete: ${response.status()} ${await response.text()}`);
  }
}
