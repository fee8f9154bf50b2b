// The channels of the IPC contract that block people and answer message requests
// (shared/ipc-people.ts), on the service's current client.
import type { z } from 'zod';
import type { InvokeResponse, invokeContract } from '../shared/ipc.js';
import type { peopleChannels } from '../shared/ipc-people.js';
import type { WarblerClient } from './client.js';

type PeopleChannel = keyof typeof peopleChannels;
type PeopleHandlers = { [C in PeopleChannel]: (request: z.output<(typeof invokeContract)[C]['request']>) => Promise<InvokeResponse<C>> };

export function peopleHandlers(client: () => WarblerClient): PeopleHandlers {
  return {
    'people:block': async ({ username, blocked }) => {
      client().people.setBlocked(username, blocked);
      return client().conversation(username) ?? null;
    },
    'conversations:accept': async ({ username }) => client().people.accept(username),
    'conversations:deleteRequest': async ({ username }) => {
      client().people.deleteRequest(username);
      return null;
    },
  };
}
