// Presence, typing and groups of three, through the web host in Chromium.
import { expect } from '@playwright/test';
import { accountButton, createGroup, say, startChat, test } from '../app.js';
import type { WarblerApi } from '../../shared/ipc.js';

test('the presence dot and the typing indicator change as the other person comes, types and goes', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'are you there?');
  await bob.getByRole('button', { name: /^alice/ }).click();
  // A stranger's first message is a request: alice sees bob's presence once he accepts it.
  await bob.getByRole('region', { name: 'Message request' }).getByRole('button', { name: 'Accept' }).click();

  const bobAsSeenByAlice = alice.locator('[data-presence]');
  await expect(bobAsSeenByAlice).toHaveAttribute('data-presence', 'online');
  await expect(bobAsSeenByAlice).toHaveText('online');

  // Bob types: Alice sees it within a second, and it goes away when he sends.
  await bob.getByLabel('Message', { exact: true }).pressSequentially('yes, just a sec');
  await expect(alice.getByRole('status').filter({ hasText: 'bob is typing…' })).toBeVisible({ timeout: 1000 });
  await bob.getByLabel('Message', { exact: true }).press('Enter');
  await expect(alice.getByRole('log', { name: 'Conversation with bob' }).getByText('yes, just a sec')).toBeVisible();
  await expect(alice.getByText('bob is typing…')).toHaveCount(0);

  // Alice's window reloads while bob is typing: it still says so, from what core heard before
  // (bob types no more, so no new "typing" comes until his pause ends it).
  await bob.getByLabel('Message', { exact: true }).pressSequentially('hm');
  await expect(alice.getByRole('status').filter({ hasText: 'bob is typing…' })).toBeVisible({ timeout: 1000 });
  await alice.reload();
  const bobRow = alice.getByRole('button', { name: /^bob/ });
  await expect(bobRow).toHaveAccessibleDescription('typing…', { timeout: 4000 });
  await bob.getByLabel('Message', { exact: true }).fill('');
  await expect(bobRow).toHaveAccessibleDescription('yes, just a sec');
  await bobRow.click();

  // Bob hides his presence, shows it again, then leaves: Alice sees offline and when he was last seen.
  await accountButton(bob).click();
  await bob.getByRole('menuitemradio', { name: 'Invisible' }).click();
  await expect(bobAsSeenByAlice).toHaveAttribute('data-presence', 'offline', { timeout: 1000 });
  await expect(bobAsSeenByAlice).toHaveText('offline');
  await accountButton(bob).click();
  await expect(bob.getByRole('menuitemradio', { name: 'Invisible' })).toHaveAttribute('aria-checked', 'true');
  await bob.getByRole('menuitemradio', { name: 'Online' }).click();
  await expect(bobAsSeenByAlice).toHaveAttribute('data-presence', 'online', { timeout: 1000 });
  // Five idle minutes are too long for a test: ask for away the way the idle timer does.
  await bob.evaluate(() => (globalThis as unknown as { warbler: WarblerApi }).warbler.invoke('presence:set', { state: 'away' }));
  await expect(bobAsSeenByAlice).toHaveAttribute('data-presence', 'away', { timeout: 1000 });
  await people.stopAll();
  const aliceAgain = await people.open(browser, 'alice');
  await aliceAgain.getByRole('button', { name: /^bob/ }).click();
  await expect(aliceAgain.locator('[data-presence]')).toHaveAttribute('data-presence', 'offline');
  await expect(aliceAgain.locator('[data-presence]')).toHaveText(/^last seen /);
});

test('a group of three chats, and a removed member stops receiving', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');

  await createGroup(alice, 'Climbing', 'bob, carol');
  await say(alice, 'Saturday at ten?');

  for (const page of [bob, carol]) {
    await page.getByRole('button', { name: /^Climbing/ }).click();
    await expect(page.getByRole('log').getByText('Saturday at ten?')).toBeVisible();
  }
  await say(bob, 'I am in');
  await say(carol, 'me too');
  const aliceLog = alice.getByRole('log');
  await expect(aliceLog.getByText('I am in')).toBeVisible();
  await expect(aliceLog.getByText('me too')).toBeVisible();

  // Only alice, who made the group, adds and removes: bob sees who is in it, and who decides.
  await bob.getByRole('button', { name: 'Members', exact: true }).click();
  const bobsView = bob.getByRole('dialog', { name: /^Members of / });
  await expect(bobsView.getByText('Only alice, who made this group, can add or remove members.')).toBeVisible();
  await expect(bobsView.getByRole('listitem').filter({ hasText: 'alice' })).toContainText('Owner');
  await expect(bobsView.getByRole('button', { name: /^Remove / })).toHaveCount(0);
  await expect(bobsView.getByLabel('Add members')).toHaveCount(0);
  await bob.keyboard.press('Escape');

  await alice.getByRole('button', { name: 'Members', exact: true }).click();
  const members = alice.getByRole('dialog', { name: /^Members of / });
  await expect(members.getByText(/can add or remove members/)).toHaveCount(0);
  await members.getByRole('button', { name: 'Remove carol' }).click();
  await expect(members.getByRole('button', { name: 'Remove carol' })).toHaveCount(0);
  await alice.keyboard.press('Escape');
  await expect(members).toHaveCount(0);
  await expect(carol.getByText('You are no longer a member of this group.')).toBeVisible();
  await expect(carol.getByLabel('Message', { exact: true })).toHaveCount(0);
  await expect(bob.getByRole('log').locator('li.message-event[data-event="remove"]')).toBeVisible();

  await say(alice, 'carol is out, bob');
  await expect(bob.getByRole('log').getByText('carol is out, bob')).toBeVisible();
  await say(bob, 'understood');
  await expect(aliceLog.getByText('understood')).toBeVisible();
  await carol.waitForTimeout(500);
  await expect(carol.getByRole('log').getByText('carol is out, bob')).toHaveCount(0);
  await expect(carol.getByRole('log').getByText('understood')).toHaveCount(0);
});
