// Linking a second device from the app: a code (and its QR) on the new device, typed into the old one to
// approve it. The code's last digits are a secret, so typing it is what proves which device gets linked.
import { expect } from '@playwright/test';
import { accountButton, openAccountDialog, say, startChat, test } from '../app.js';

test('a new device shows a code, an existing device approves it, both show the conversation, and a deletion on one reaches the other', async ({ browser, people }) => {
  const phone = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(phone, 'bob');
  await say(phone, 'hello from the phone');

  const laptop = await people.open(browser, 'alice-laptop');
  await laptop.getByRole('button', { name: 'Link to an existing account' }).click();
  await expect(laptop.getByLabel('Server URL')).toHaveValue(people.relay);
  await laptop.getByRole('button', { name: 'Get link code' }).click();
  const code = laptop.getByRole('group', { name: 'Link code' });
  await expect(code).toHaveText(/^\d{3}( \d{3}){5}$/);
  await expect(laptop.getByRole('img', { name: 'QR code of the link code' })).toBeVisible();
  await expect(laptop.getByText('It is secret: do not share it with anyone.', { exact: false })).toBeVisible();

  const linking = await openAccountDialog(phone, 'Link a device');
  await linking.getByLabel('Link code').fill((await code.textContent()) ?? '');
  await linking.getByRole('button', { name: 'Approve device' }).click();
  await expect(linking.getByRole('status').filter({ hasText: 'Device linked.' })).toBeVisible();
  // The dialog is modal: closed, the chats behind it take clicks again.
  await phone.keyboard.press('Escape');
  await expect(linking).toHaveCount(0);

  await expect(accountButton(laptop, 'alice')).toBeVisible();
  await laptop.getByRole('button', { name: /^bob/ }).click();
  await bob.getByRole('button', { name: /^alice/ }).click();
  await say(bob, 'hi, both of you');
  await expect(laptop.getByRole('log', { name: 'Conversation with bob' }).getByText('hi, both of you')).toBeVisible();
  await expect(phone.getByRole('log', { name: 'Conversation with bob' }).getByText('hi, both of you')).toBeVisible();
  await say(laptop, 'typed on the laptop');
  await expect(phone.getByRole('log', { name: 'Conversation with bob' }).getByText('typed on the laptop')).toBeVisible();

  // The chat deleted on the laptop goes from the phone too, the open conversation with it.
  await laptop.getByRole('button', { name: 'Conversation options' }).click();
  await laptop.getByRole('menuitem', { name: 'Delete chat' }).click();
  await laptop.getByRole('alertdialog', { name: 'Delete chat' }).getByRole('button', { name: 'Delete chat' }).click();
  for (const device of [laptop, phone]) {
    await expect(device.getByRole('button', { name: /^bob/ })).toHaveCount(0);
    await expect(device.getByRole('log')).toHaveCount(0);
  }
  // bob writes again: the chat is back on both, with that message alone.
  await say(bob, 'still there?');
  for (const device of [laptop, phone]) {
    await device.getByRole('button', { name: /^bob/ }).click();
    const log = device.getByRole('log', { name: 'Conversation with bob' });
    await expect(log.getByText('still there?')).toBeVisible();
    await expect(log.getByText('hi, both of you')).toHaveCount(0);
  }
});
