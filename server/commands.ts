// The relay's administration commands: they work on its database directly and print one line.
import { loadSodium } from '../shared/crypto.js';
import type { RelayCommand } from './config.js';
import { EVERYONE, MIN_PASSWORD, hashPassword, newToken, tokenHash } from './push/access.js';
import type { RelayStores } from './storage/relay-stores.js';

export async function runCommand(command: RelayCommand, stores: RelayStores, env: NodeJS.ProcessEnv): Promise<string> {
  await loadSodium();
  switch (command.name) {
    case 'reset-account':
      if (!(await stores.accounts.resetAccount(command.username))) throw new Error(`no account is called "${command.username}"`);
      return `reset ${command.username}: the username can be registered again`;
    case 'user-add': {
      // From the environment, not argv: other users of the machine can read a process's arguments.
      const password = env.WARBLER_PASSWORD ?? '';
      if (password.length < MIN_PASSWORD) throw new Error(`set WARBLER_PASSWORD to a password of at least ${MIN_PASSWORD} characters`);
      await stores.pushUsers.savePushUser(command.user, hashPassword(password), command.role);
      return `saved ${command.role} ${command.user}`;
    }
    case 'user-del':
      if (!(await stores.pushUsers.removePushUser(command.user))) throw new Error(`no push user is called "${command.user}"`);
      return `deleted ${command.user}`;
    case 'token-add': {
      if (!(await stores.pushUsers.pushUser(command.user))) throw new Error(`no push user is called "${command.user}"`);
      const token = newToken();
      await stores.pushUsers.addPushToken(command.user, tokenHash(token), 'created by warbler-server token add', null);
      return token;
    }
    case 'access':
      await stores.pushUsers.setPushRule(command.user, command.topic, command.permission);
      return `${command.user === EVERYONE ? 'everyone' : command.user} ${command.permission} ${command.topic}`;
  }
}
