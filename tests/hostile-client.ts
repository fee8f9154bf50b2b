// A modified client, as a hostile contact would run one: it writes whatever payload its author
// wants to its own outbox, and the real delivery seals it and hands it to the relay.
import type { WarblerClient } from '../core/client.js';
import type { Outbox } from '../core/client/outbox.js';
import type { PayloadBody } from '../shared/payload.js';

export async function sendForged(client: WarblerClient, recipients: string[], body: PayloadBody): Promise<void> {
  const { outbox } = (client as unknown as { parts: { outbox: Outbox } }).parts;
  outbox.add(recipients, body);
  await outbox.flush();
}
