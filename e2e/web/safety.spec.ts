// Safety numbers: both people see the same one, marking it verified sticks, and a key change shows.
import { expect, type Page } from '@playwright/test';
import { say, startChat, test } from '../app.js';

function safetyPanel(page: Page, name: string) {
  return page.getByRole('dialog', { name: `Safety number with ${name}` });
}

/** The header's badge (its icon is decoration; the word is what is read). */
function verifiedBadge(page: Page) {
  return page.getByText('Verified', { exact: true });
}

/** Opens the safety panel of the conversation on screen; resolves to the number as shown. */
async function openSafetyNumber(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Safety number', exact: true }).click();
  const number = safetyPanel(page, name).locator('[data-safety-number]');
  await expect(number).toHaveText(/^\d{5}( \d{5}){11}$/);
  return (await number.textContent()) ?? '';
}

test('both people see the same safety number, and marking it verified lasts', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'shall we compare numbers?');
  await bob.getByRole('button', { name: /^alice/ }).click();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText('shall we compare numbers?')).toBeVisible();

  const asAliceSees = await openSafetyNumber(alice, 'bob');
  const asBobSees = await openSafetyNumber(bob, 'alice');
  expect(asAliceSees.replace(/ /g, '')).toMatch(/^\d{60}$/);
  expect(asBobSees).toBe(asAliceSees);
  await expect(safetyPanel(alice, 'bob').getByRole('img', { name: 'QR code of the safety number with bob' })).toBeVisible();

  await expect(verifiedBadge(alice)).toHaveCount(0);
  await safetyPanel(alice, 'bob').getByRole('button', { name: 'Mark as verified' }).click();
  await expect(verifiedBadge(alice)).toBeVisible();
  await expect(safetyPanel(alice, 'bob').getByRole('button', { name: 'Clear verification' })).toBeVisible();
  // Verifying is one person's statement: bob has not made it.
  await expect(verifiedBadge(bob)).toHaveCount(0);

  await alice.reload();
  await alice.getByRole('button', { name: /^bob/ }).click();
  await expect(verifiedBadge(alice)).toBeVisible();
});

test('the safety number is a side sheet that keeps focus and gives it back on Escape', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'hello');
  const opener = alice.getByRole('button', { name: 'Safety number', exact: true });
  await opener.click();
  const sheet = safetyPanel(alice, 'bob');
  await expect(sheet.getByRole('heading', { name: 'Safety number with bob' })).toBeFocused();
  await expect(sheet.getByRole('button', { name: 'Mark as verified' })).toBeVisible();
  // At the window's end edge, as tall as the window, once it has slid in (a 160 ms animation).
  const viewport = alice.viewportSize();
  const edges = async () => {
    const box = await sheet.boundingBox();
    return box && { end: Math.round(box.x + box.width), height: Math.round(box.height) };
  };
  await expect.poll(edges).toEqual({ end: viewport?.width, height: viewport?.height });
  // Tab goes round the sheet's controls and never into the conversation behind it.
  for (let i = 0; i < 4; i++) {
    await alice.keyboard.press('Tab');
    expect(await sheet.evaluate((node) => node.contains(node.ownerDocument.activeElement))).toBe(true);
  }
  await alice.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test("a contact's new identity key shows a warning and takes the verification away", async ({ browser, people, relay }) => {
  // A restart of the relay, and a host that finds it again only after its backoff, take a while.
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'is this really you?');
  await bob.getByRole('button', { name: /^alice/ }).click();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText('is this really you?')).toBeVisible();
  await say(bob, 'it is');
  const aliceLog = alice.getByRole('log', { name: 'Conversation with bob' });
  await expect(aliceLog.getByText('it is', { exact: true })).toBeVisible();
  const verifiedNumber = await openSafetyNumber(alice, 'bob');
  await safetyPanel(alice, 'bob').getByRole('button', { name: 'Mark as verified' }).click();
  await expect(verifiedBadge(alice)).toBeVisible();
  await alice.keyboard.press('Escape');
  await expect(safetyPanel(alice, 'bob')).toHaveCount(0);

  // Bob lost every device: the relay's operator frees his username, and he starts over on a new phone.
  await people.stop('bob');
  await relay.stop();
  expect(await relay.resetAccount('bob')).not.toBe('');
  await relay.start();
  const newPhone = await people.join(browser, 'bob', 'bob-new-phone');
  await startChat(newPhone, 'alice');
  await say(newPhone, "it's me, new phone");

  await expect(aliceLog.getByText("it's me, new phone")).toBeVisible({ timeout: 45_000 });
  const warning = aliceLog.locator('li.message-identity-changed');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText("bob's safety number has changed. Compare it again to be sure nobody is listening in.");
  await expect(verifiedBadge(alice)).toHaveCount(0);

  // The warning leads to the new number, which is not the one verified, and is not verified.
  await warning.getByRole('button', { name: 'View safety number' }).click();
  const number = safetyPanel(alice, 'bob').locator('[data-safety-number]');
  await expect(number).toHaveText(/^\d{5}( \d{5}){11}$/);
  await expect(number).not.toHaveText(verifiedNumber);
  await expect(safetyPanel(alice, 'bob').getByRole('button', { name: 'Mark as verified' })).toBeVisible();
});
