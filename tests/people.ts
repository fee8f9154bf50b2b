// For tests of what several people and devices see: a relay, alice on two devices (the second
// linked to her account), bob and carol, all online; stopped after the test.
import path from 'node:path';
import { WarblerClient } from '../core/client.js';
import { httpUrl, onlineClient, tempDir, testRelay, type Cleanups } from './helpers.js';

export async function threePeople(cleanups: Cleanups) {
  const dir = tempDir();
  const relay = await testRelay(path.join(dir, 'relay'));
  cleanups.push(() => relay.close());
  const online = async (name: string) => {
    const { client } = await onlineClient(path.join(dir, name), relay, name);
    cleanups.push(() => client.close());
    return client;
  };
  const alice = await online('alice');
  const linking = await WarblerClient.link(path.join(dir, 'alice2'), httpUrl(relay));
  await alice.approveDevice(linking.code);
  const alice2 = await linking.done;
  cleanups.push(() => alice2.close());
  alice2.start();
  await alice2.waitOnline(10_000);
  return { dir, relay, alice, alice2, bob: await online('bob'), carol: await online('carol') };
}
