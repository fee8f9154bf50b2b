// Builds a client's parts over one profile: the stores on its history file, the relay connection,
// and each concern's part, given only what it calls. WarblerClient (core/client.ts) owns them.
import path from 'node:path';
import type { Logger } from 'pino';
import { DeviceBox } from '../../shared/crypto.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { Directory } from '../e2e/directory.js';
import { IdentityStore } from '../e2e/identities.js';
import { Ledger } from '../e2e/ledger.js';
import { PreKeyStore } from '../e2e/prekeys.js';
import { SessionStore } from '../e2e/sessions.js';
import { MessageSearch } from '../search/message-search.js';
import { MessageActionStore } from '../message-actions/store.js';
import { History } from '../history.js';
import { HISTORY_FILE, type Profile } from '../profile.js';
import { PushStore } from '../push-store.js';
import { RelayConnection, type ConnectionTiming } from '../relay/connection.js';
import type { HistoryKey } from '../vault/history-key.js';
import { ActionPayloads } from './action-payloads.js';
import { Attachments } from './attachments.js';
import { ConversationRemoval } from './conversation-removal.js';
import { Conversations } from './conversations.js';
import { Delivery } from './delivery.js';
import { Devices } from './devices.js';
import { Forwards } from './forwards.js';
import { Disappearing } from './disappearing.js';
import { ConversationStates } from './conversation-states.js';
import type { Emit } from './events.js';
import { GroupStates } from '../group-states.js';
import type { GroupRules } from '../groups.js';
import { GroupAdmin } from './group-admin.js';
import { Inbox } from './inbox.js';
import { MessageActions } from './message-actions.js';
import { Outbox } from './outbox.js';
import { Payloads } from './payloads.js';
import { People } from './people.js';
import { PreKeyUpkeep } from './prekey-upkeep.js';
import { Presences } from './presence.js';
import { PrintedCursor } from './printed-cursor.js';
import { PushSubscriptions } from './push-subscriptions.js';
import { RemoteTopics } from './remote-topics.js';
import { Receiver } from './receiver.js';
import { RelayKeyPin } from './relay-key-pin.js';
import { Resends } from './resends.js';
import { Safety } from './safety.js';
import { Sender } from './sender.js';
import { Typing } from './typing.js';

export interface PartsInput {
  profile: Profile;
  profileDir: string;
  serverUrl: string;
  key: HistoryKey;
  log: Logger;
  emit: Emit;
  timing?: ConnectionTiming;
}

export interface ClientParts {
  connection: RelayConnection;
  relayKey: RelayKeyPin;
  history: History;
  pushes: PushStore;
  directory: Directory;
  conversations: Conversations;
  outbox: Outbox;
  inbox: Inbox;
  sender: Sender;
  typing: Typing;
  presences: Presences;
  groupAdmin: GroupAdmin;
  devices: Devices;
  safety: Safety;
  pushTopics: PushSubscriptions;
  remoteTopics: RemoteTopics;
  preKeyUpkeep: PreKeyUpkeep;
  printed: PrintedCursor;
  files: Attachments;
  search: MessageSearch;
  actions: MessageActions;
  forwards: Forwards;
  disappearing: Disappearing;
  states: ConversationStates;
  people: People;
  removal: ConversationRemoval;
}

export function buildParts({ profile, profileDir, serverUrl, key, log, emit, timing }: PartsInput): ClientParts {
  const me = profile.username;
  const deviceKey = profile.identity.publicKey;
  const history = new History(path.join(profileDir, HISTORY_FILE), key);
  const box = new DeviceBox(profile.identity.secretKey);
  const db = history.database;
  const preKeys = new PreKeyStore(db, profile.identity);
  const sessions = new SessionStore(db, profile.identity, preKeys);
  const identities = new IdentityStore(db);
  const ledger = new Ledger(db);
  const pushes = new PushStore(db);
  ledger.prune(Date.now());
  const relayKey = new RelayKeyPin(history, log);
  // Presences, built after the connection, is asked at every login (never before start) whether to hide.
  const relay: RelayConnection = new RelayConnection(serverUrl, profile.identity, () => presences.atLogin(), timing, (k) => relayKey.check(k));
  const accountKey = profile.account.publicKey;
  // The directory tells Safety, built after it, of a changed key (never while being built).
  const directory = new Directory({
    me: { username: me, accountKey },
    identities,
    fetch: async (username) => relay.request({ type: 'devices', username }),
    changed: (username) => safety.identityChanged(username),
    log,
    now: Date.now,
  });
  const conversations = new Conversations(history, me, emit);
  const announce = (message: ChatMessage) => conversations.announce(message);
  // People, built after the parts it tells, is asked (never while they are built) who is blocked.
  const isBlocked = (username: string): boolean => people.isBlocked(username);
  const delivery = new Delivery({ me, deviceKey, history, sessions, identities, directory, box, relay, isBlocked, log });
  const outbox = new Outbox({ me, history, ledger, delivery, relay, announce, log });
  const resends = new Resends({ history, ledger, outbox, log });
  const attachments = new AttachmentStore(db);
  const actionStore = new MessageActionStore(db, ledger);
  history.decorateMessages((messages) => {
    attachments.decorate(messages);
    actionStore.decorate(messages);
  });
  const files = new Attachments({ me, profileDir, serverUrl, history, store: attachments, conversations, outbox, relay, emit, log });
  const removeFiles = (messageId: string) => files.removeMessage(messageId);
  const actions = new ActionPayloads({ me, history, store: actionStore, conversations, removeFiles, log });
  const presences = new Presences({ me, history, relay, isBlocked, emit, log });
  const partedFrom: Presences['partedFrom'] = (people) => presences.partedFrom(people);
  const disappearing = new Disappearing({ me, history, store: actionStore, conversations, outbox, removeFiles, emit, log });
  const states = new ConversationStates({ me, db, history, conversations, outbox });
  const removeMessage = (messageId: string) => {
    removeFiles(messageId);
    actionStore.remove(messageId);
  };
  const withdrawPresence = (username: string) => presences.blocked(username);
  const removal = new ConversationRemoval({ me, db, history, outbox, removeMessage, deleting: (c, at) => people.deleting(c, at), emit });
  const removeConversation = (conversationId: string) => removal.remove(conversationId);
  const people: People = new People({ me, db, history, conversations, outbox, removeConversation, withdrawPresence });
  const sender = new Sender({ me, history, conversations, outbox, relay, people });
  const groupRules: GroupRules = {
    me,
    states: new GroupStates(db),
    accountKeyOf: (username) => (username === me ? accountKey : identities.get(username)?.accountKey),
  };
  const payloads = new Payloads({ me, history, conversations, resends, attachments, actions, timers: disappearing, states, people, removal, groupRules, partedFrom });
  const receiver = new Receiver({ me, history, ledger, sessions, directory, resends, payloads, people, log });
  const safety = new Safety({ me: { username: me, accountKey }, history, identities, directory, conversations, emit });
  const remoteTopics = new RemoteTopics({ pushes, emit, log });
  return {
    connection: relay,
    relayKey,
    history,
    pushes,
    directory,
    conversations,
    outbox,
    inbox: new Inbox({ history, directory, receiver, relay, conversations, isBlocked, flushOutbox: () => outbox.flushSoon(), emit, log }),
    sender,
    typing: new Typing({ me, history, conversations, delivery, directory, box, relay, people, emit, log }),
    presences,
    groupAdmin: new GroupAdmin({ me, account: profile.account, rules: groupRules, history, directory, conversations, outbox, emit, partedFrom }),
    devices: new Devices({
      me,
      deviceKey,
      account: profile.account,
      history,
      groupStates: groupRules.states,
      sessions,
      directory,
      relay,
      outbox,
      shareBlocks: () => people.shareBlocks(),
    }),
    safety,
    pushTopics: new PushSubscriptions({ pushes, relayKey, relay, remote: remoteTopics, emit, log }),
    remoteTopics,
    preKeyUpkeep: new PreKeyUpkeep({ preKeys, relay, log }),
    printed: new PrintedCursor({ history, actions: actionStore }),
    files,
    search: new MessageSearch(db),
    disappearing,
    states,
    people,
    removal,
    actions: new MessageActions({ me, history, store: actionStore, conversations, outbox, relay, removeFiles, emit }),
    forwards: new Forwards({ profileDir, history, store: attachments, files, sender, relay }),
  };
}
