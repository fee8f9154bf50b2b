#!/usr/bin/env node
// The warbler CLI: the same core as the app, for scripts, bots and tests.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MessageText, Username, describeZodError } from '../shared/protocol.js';
import { ConversationId, Passphrase, ServerUrl } from '../shared/ipc.js';
import { Port } from '../shared/urls.js';
import { LINK_CODE_DIGITS, WarblerClient } from '../core/client.js';
import { DEFAULT_WEB_PORT, defaultProfileDir, defaultServerUrl } from '../core/paths.js';
import type { KeySource } from '../core/vault/vault.js';
import { startWebHost } from '../web/host/host.js';
import { DEFAULT_HISTORY_LIMIT, HistoryLimit, MAX_HISTORY_LIMIT, printHistory } from './commands/history.js';
import { DEFAULT_SEARCH_RESULTS, printSearch } from './commands/search.js';
import { follow, syncOnce } from './commands/sync.js';
import { downloadFile, sendFiles } from './commands/files.js';
import { isPeopleCommand, peopleCommand } from './commands/people.js';
import { BlobId } from '../shared/attachment.js';
import { Emoji } from '../shared/emoji.js';
import { UsageError, failureLine, isUsageError } from './failure.js';
import { online, withClient } from './online.js';

const HELP = `Usage: warbler [--profile DIR] [--server URL] COMMAND

Commands:
  register NAME        create an account NAME with this profile as its first device
  link                 make this profile a new device of an existing account: prints a code to
                       approve on a device that has the account, waits until it is approved
  approve CODE         approve the new device that shows CODE (18 digits; the last 10 never reach the
                       relay and prove that the device behind the code is the one showing it)
  devices              list this account's devices (this one marked *)
  devices remove [--] KEY
                       unlink another device of this account: it receives nothing from then on
                       (a KEY that starts with - goes after --)
  safety NAME          show the safety number with NAME, to compare in person or over a call
  verify NAME NUMBER   mark NAME verified, giving the 60-digit number you compared
  send NAME TEXT       send TEXT to NAME; exits 0 once the relay has stored it (--json: its id and time)
  send NAME TEXT --reply-to ID
                       the same, quoting the message ID of that conversation (ids from sync --json)
  react NAME ID EMOJI  react to the message ID with one emoji (replacing your reaction); "react NAME
                       ID none" takes your reaction back
  edit NAME ID TEXT    replace the text of your message ID (within 24 hours of sending it)
  delete NAME ID [--for-everyone]
                       delete the message ID from this profile and your other devices; with
                       --for-everyone (your own message, within 24 hours), from everyone's
  forward ID NAME [--json]
                       send a copy of the message ID (its text and files, marked forwarded) to NAME
                       (a username, or a group id #…); its files are not uploaded again; prints the
                       copy's id
  send NAME [TEXT] --file PATH [--file PATH…] [--as-file]
                       send files (any type, up to 10, each within the relay's size limit) with TEXT
                       as their caption; images are re-encoded without their metadata (EXIF, GPS)
                       unless --as-file; exits 0 once every file is uploaded and the relay has the message
  block NAME           block NAME: nothing of theirs is shown, they get no receipts, typing or
                       presence from you; your other devices block them too
  unblock NAME         unblock NAME
  accept NAME          accept NAME's message request (their first message, when you never wrote to
                       them and share no group): they get read receipts from then on
  download ID --out PATH
                       fetch a received file (its id from sync --json), verify it, decrypt it and
                       write it to PATH; exits 1 with the reason when it is damaged or gone
  sync [--json]        receive what is queued for this device, then print every message this profile
                       received that the CLI has not printed yet (whichever command or app on this
                       profile received it), and exit
  sync --follow        the same, then go on printing messages as they arrive, until interrupted
  history NAME [--json] [--limit N]
                       print the last N messages (default ${DEFAULT_HISTORY_LIMIT}, at most ${MAX_HISTORY_LIMIT}) of the conversation
                       with NAME (a username, or a group id #…) from this profile's history, oldest
                       first; does not connect to the relay
  search QUERY [--from NAME] [--has-attachment] [--json] [--limit N]
                       print the messages of this profile's whole history that hold every word of
                       QUERY (a word may be the start of one; Chinese is found as written), best
                       first (default ${DEFAULT_SEARCH_RESULTS}); prints nothing when none does; does not connect to the relay;
                       --from NAME: only what NAME wrote (without QUERY: all of it, newest first);
                       --has-attachment: only messages with files (without QUERY: all of them)
  web [--port P]       open this profile's app in a browser tab on 127.0.0.1:P (default ${DEFAULT_WEB_PORT})

Global options:
  --profile DIR        profile folder (default: $WARBLER_PROFILE or the app's data folder)
  --server URL         relay URL, overrides the profile's (default: $WARBLER_SERVER or ${defaultServerUrl({})})
  --key-file PATH      the key file that opens this profile's encrypted history (default: history.key
                       in the profile folder, made 0600 with a new profile)
  --help               show this help

Environment:
  WARBLER_PASSPHRASE   open (or, for a new profile, protect) the history with this passphrase
                       (8 characters or more) instead of a key file
`;

const Globals = z.object({
  profile: z.string().min(1).optional(),
  server: ServerUrl.optional(),
  keyFile: z.string().min(1).optional(),
  passphrase: Passphrase.optional(),
});

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: 'string' },
      server: { type: 'string' },
      json: { type: 'boolean' },
      follow: { type: 'boolean' },
      port: { type: 'string' },
      limit: { type: 'string' },
      file: { type: 'string', multiple: true },
      'as-file': { type: 'boolean' },
      out: { type: 'string' },
      from: { type: 'string' },
      'has-attachment': { type: 'boolean' },
      'reply-to': { type: 'string' },
      'for-everyone': { type: 'boolean' },
      'key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const globals = Globals.safeParse({
    profile: values.profile,
    server: values.server,
    keyFile: values['key-file'],
    // Set but empty is how a shell script says "none".
    passphrase: process.env.WARBLER_PASSPHRASE || undefined,
  });
  if (!globals.success) {
    throw new UsageError(describeZodError(globals.error).replace(/^passphrase:/, 'WARBLER_PASSPHRASE:').replace(/^keyFile:/, '--key-file:'));
  }
  if (globals.data.keyFile !== undefined && globals.data.passphrase !== undefined) {
    throw new UsageError('give --key-file or WARBLER_PASSPHRASE, not both');
  }
  return { values, positionals, globals: globals.data };
}

function keySource(globals: z.infer<typeof Globals>): KeySource {
  if (globals.passphrase !== undefined) return { kind: 'passphrase', passphrase: globals.passphrase };
  return { kind: 'key-file', ...(globals.keyFile ? { path: globals.keyFile } : {}) };
}

/** The options only some commands take; any other command refuses them rather than ignore them. */
const COMMAND_OPTIONS = {
  json: ['send', 'forward', 'sync', 'history', 'search'],
  follow: ['sync'],
  limit: ['history', 'search'],
  port: ['web'],
  file: ['send'],
  'as-file': ['send'],
  out: ['download'],
  from: ['search'],
  'has-attachment': ['search'],
  'reply-to': ['send'],
  'for-everyone': ['delete'],
} as const;

function checkCommandOptions(command: string, values: Partial<Record<keyof typeof COMMAND_OPTIONS, unknown>>): void {
  for (const [option, commands] of Object.entries(COMMAND_OPTIONS) as [keyof typeof COMMAND_OPTIONS, readonly string[]][]) {
    if (values[option] !== undefined && !commands.includes(command)) throw new UsageError(`${command} takes no --${option}`);
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals, globals } = parse(argv);
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  checkCommandOptions(command, values);
  const profileDir = globals.profile ?? defaultProfileDir();
  const keys = keySource(globals);
  const open = () => WarblerClient.open(profileDir, { keys, ...(globals.server ? { serverUrl: globals.server } : {}) });

  if (isPeopleCommand(command)) {
    await peopleCommand(command, args, open);
    return 0;
  }
  switch (command) {
    case 'register': {
      const name = Username.safeParse(args[0] ?? '');
      if (args.length !== 1 || !name.success) throw new UsageError(`register needs one valid NAME${name.success ? '' : ` (${describeZodError(name.error)})`}`);
      const client = await WarblerClient.register(profileDir, globals.server ?? defaultServerUrl(), name.data, { keys });
      console.log(`registered ${client.username} (device ${client.deviceKey}) on ${client.serverUrl}`);
      await client.close();
      return 0;
    }
    case 'link': {
      if (args.length > 0) throw new UsageError('link takes no arguments');
      const linking = await WarblerClient.link(profileDir, globals.server ?? defaultServerUrl(), { keys });
      console.log(`link code: ${linking.code.replace(/(\d{3})(?=\d)/g, '$1 ')}`);
      console.log(`(run "warbler approve ${linking.code}" on a device that has the account)`);
      const client = await linking.done;
      console.log(`linked: this profile is now a device of ${client.username}`);
      await client.close();
      return 0;
    }
    case 'approve': {
      const code = args.join('').replace(/[\s-]/g, '');
      if (!new RegExp(`^\\d{${LINK_CODE_DIGITS}}$`).test(code)) throw new UsageError(`approve needs the ${LINK_CODE_DIGITS}-digit CODE the new device shows`);
      await online(open, (client) => client.approveDevice(code));
      console.log('approved: the new device now belongs to this account');
      return 0;
    }
    case 'devices': {
      const [sub, key, ...rest] = args;
      if (sub === undefined) {
        for (const device of await online(open, (client) => client.devices())) console.log(`${device.current ? '*' : ' '} ${device.deviceKey}`);
        return 0;
      }
      if (sub !== 'remove' || !key || rest.length > 0 || !/^[A-Za-z0-9_-]{43}$/.test(key)) {
        throw new UsageError('devices takes no arguments, or "remove KEY" with a device key from the list');
      }
      await online(open, (client) => client.removeDevice(key));
      console.log(`removed ${key}`);
      return 0;
    }
    case 'safety':
    case 'verify': {
      const name = Username.safeParse(args[0] ?? '');
      // NUMBER is checked here: mistyped, it would be reported as a safety number that changed.
      const compared = (args[1] ?? '').replace(/\s/g, '');
      const valid = command === 'safety' ? args.length === 1 : args.length === 2 && /^\d{60}$/.test(compared);
      if (!valid || !name.success) {
        throw new UsageError(command === 'safety' ? 'safety needs one NAME' : 'verify needs NAME and the 60-digit NUMBER you compared (spaces allowed)');
      }
      const info = await online(open, (client) => (command === 'safety' ? client.safety(name.data) : client.setVerified(name.data, true, compared)));
      const groups = info.safetyNumber.match(/\d{5}/g) ?? [];
      console.log(`safety number with ${info.username}${info.verified ? ' (verified)' : ''}:`);
      for (let i = 0; i < groups.length; i += 4) console.log(`  ${groups.slice(i, i + 4).join(' ')}`);
      return 0;
    }
    case 'send': {
      const files = values.file ?? [];
      const name = Username.safeParse(args[0] ?? '');
      if (!name.success || args.length > 2 || (files.length === 0 && args.length !== 2)) throw new UsageError('send needs NAME and TEXT, or NAME, --file PATH and an optional TEXT');
      if (values['as-file'] && files.length === 0) throw new UsageError('--as-file goes with --file');
      const text = files.length > 0 && args[1] === undefined ? { success: true as const, data: '' } : MessageText.safeParse(args[1] ?? '');
      if (!text.success) throw new UsageError(describeZodError(text.error));
      const replyTo = values['reply-to'];
      await online(open, async (client) => {
        if (replyTo !== undefined) inConversation(client, name.data, replyTo);
        const message = await sendFiles(client, name.data, text.data, files, Boolean(values['as-file']), replyTo);
        const ids = message.attachments?.map((a) => a.id);
        console.log(values.json ? JSON.stringify({ id: message.id, serverTime: message.serverTime, ...(ids ? { attachments: ids } : {}) }) : message.id);
      });
      return 0;
    }
    case 'forward': {
      const [id = '', to = ''] = args;
      const name = ConversationId.safeParse(to);
      if (args.length !== 2 || id === '' || !name.success) throw new UsageError('forward needs ID (a message of this profile) and NAME (a username, or a group id #…)');
      await online(open, async (client) => {
        if (!client.message(id)) throw new UsageError(`this profile has no message ${id}`);
        const copy = await client.forward(id, name.data, { queue: false });
        console.log(values.json ? JSON.stringify({ id: copy.id, serverTime: copy.serverTime }) : copy.id);
      });
      return 0;
    }
    case 'react':
    case 'edit':
    case 'delete': {
      const name = ConversationId.safeParse(args[0] ?? '');
      const id = args[1] ?? '';
      const arity = command === 'delete' ? 2 : 3;
      if (!name.success || args.length !== arity || id === '') throw new UsageError(`${command} needs ${ACTION_USAGE[command]}`);
      const emoji = command === 'react' ? (args[2] === 'none' ? { success: true as const, data: null } : Emoji.safeParse(args[2])) : undefined;
      if (emoji && !emoji.success) throw new UsageError('react needs one emoji (or "none" to take your reaction back)');
      const text = command === 'edit' ? MessageText.safeParse(args[2]) : undefined;
      if (text && !text.success) throw new UsageError(describeZodError(text.error));
      await online(open, async (client) => {
        inConversation(client, name.data, id);
        const sending = { queue: false };
        if (emoji) await client.react(id, emoji.data, sending);
        else if (text) await client.edit(id, text.data, sending);
        else await client.deleteMessage(id, { ...sending, forEveryone: Boolean(values['for-everyone']) });
      });
      return 0;
    }
    case 'download': {
      const id = BlobId.safeParse(args[0] ?? '');
      if (args.length !== 1 || !id.success || !values.out) throw new UsageError('download needs a file ID (from sync --json) and --out PATH');
      const out = values.out;
      await withClient(open, (client) => downloadFile(client, id.data, out));
      console.log(out);
      return 0;
    }
    case 'sync': {
      if (args.length > 0) throw new UsageError('sync takes no arguments');
      await withClient(open, (client) => {
        client.on('expired', (count) => console.error(`warbler: ${count} message(s) expired on the relay before this device came back`));
        return (values.follow ? follow : syncOnce)(client, { json: Boolean(values.json) });
      });
      return 0;
    }
    case 'history': {
      const name = ConversationId.safeParse(args[0] ?? '');
      if (args.length !== 1 || !name.success) throw new UsageError('history needs one NAME: a username, or a group id (#…)');
      const limit = HistoryLimit.safeParse(values.limit ?? String(DEFAULT_HISTORY_LIMIT));
      if (!limit.success) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`);
      await withClient(open, (client) => printHistory(client, name.data, { json: Boolean(values.json), limit: limit.data }));
      return 0;
    }
    case 'search': {
      const query = args.join(' ').trim();
      const from = values.from === undefined ? undefined : Username.safeParse(values.from);
      if (from && !from.success) throw new UsageError(`--from needs a username (${describeZodError(from.error)})`);
      const hasAttachment = Boolean(values['has-attachment']);
      if (query === '' && !from && !hasAttachment) throw new UsageError('search needs a QUERY (the words to look for), --from NAME or --has-attachment, or some of them');
      const limit = HistoryLimit.safeParse(values.limit ?? String(DEFAULT_SEARCH_RESULTS));
      if (!limit.success) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`);
      const options = { json: Boolean(values.json), limit: limit.data, hasAttachment, ...(from ? { from: from.data } : {}) };
      await withClient(open, (client) => printSearch(client, query, options));
      return 0;
    }
    case 'web': {
      if (args.length > 0) throw new UsageError('web takes no arguments');
      const port = Port.safeParse(values.port ?? DEFAULT_WEB_PORT);
      if (!port.success) throw new UsageError('--port must be a number from 0 to 65535');
      const host = await startWebHost({
        profileDir,
        port: port.data,
        defaultServerUrl: defaultServerUrl(),
        keys,
        ...(globals.server ? { serverUrl: globals.server } : {}),
      });
      console.log(`Warbler for ${profileDir} at ${host.url}`);
      if (host.logsDir) console.log(`logs in ${host.logsDir}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await host.close();
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

const ACTION_USAGE = { react: 'NAME, a message ID and one EMOJI', edit: 'NAME, a message ID and the new TEXT', delete: 'NAME and a message ID' };

/** The message must be in the conversation named: an id typed for the wrong chat is refused, not acted on. */
function inConversation(client: WarblerClient, conversationId: string, messageId: string): void {
  if (client.message(messageId)?.conversationId !== conversationId) throw new UsageError(`this profile has no message ${messageId} in its conversation with ${conversationId}`);
}

// Exit once stdout has flushed, so a pipe reading `sync --json` gets every line.
const exit = (code: number) => process.stdout.write('', () => process.exit(code));

const fail = (err: unknown) => {
  console.error(failureLine(err));
  exit(isUsageError(err) ? 2 : 1);
};
// Whatever goes wrong, even outside a command's own flow, ends in one line rather than a stack.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
run(process.argv.slice(2)).then(exit, fail);
