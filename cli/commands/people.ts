// `block NAME`, `unblock NAME`, `accept NAME`: blocking people and answering message requests,
// here and (once the relay has it, before the command exits) on this account's other devices.
import { Username, describeZodError } from '../../shared/protocol.js';
import type { WarblerClient } from '../../core/client.js';
import { UsageError } from '../failure.js';
import { online } from '../online.js';

export const PEOPLE_COMMANDS = ['block', 'unblock', 'accept'] as const;
export type PeopleCommand = (typeof PEOPLE_COMMANDS)[number];

export const isPeopleCommand = (command: string): command is PeopleCommand => (PEOPLE_COMMANDS as readonly string[]).includes(command);

export async function peopleCommand(command: PeopleCommand, args: string[], open: () => Promise<WarblerClient>): Promise<void> {
  const name = Username.safeParse(args[0] ?? '');
  if (args.length !== 1 || !name.success) throw new UsageError(`${command} needs one NAME${name.success ? '' : ` (${describeZodError(name.error)})`}`);
  const peer = name.data;
  await online(open, async (client) => {
    if (command === 'accept') {
      if (!client.conversation(peer)?.request) throw new UsageError(`there is no message request from ${peer} (run "warbler sync" to receive what is queued)`);
      client.people.accept(peer);
    } else {
      client.people.setBlocked(peer, command === 'block');
    }
  });
  console.log(command === 'accept' ? `accepted ${peer}'s message request` : `${command}ed ${peer}`);
}
