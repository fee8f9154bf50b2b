// Voice notes end to end: recorded with Chromium's fake microphone (a beep every second), sent
// through a real relay, received with their waveform, played and sought. Then the same screens in
// light and dark, English and Chinese, wide and narrow, checked for layout and kept as attachments.
import { expect, type Locator, type Page } from '@playwright/test';
import { keep, startChat, test } from '../app.js';

// Run in the page (as text: this project's e2e code is typed without the DOM's types).
const WATCH_MICROPHONE = `(() => {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  window.__streams = [];
  devices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    window.__streams.push(stream);
    return stream;
  };
})()`;
const MICROPHONE_STATE = `({
  opened: window.__streams.length,
  live: window.__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
})`;
const REFUSE_MICROPHONE = `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))`;

/** Counts the microphone streams the page opens from now on, and whether each is still live. */
async function watchMicrophone(page: Page): Promise<void> {
  await page.evaluate(WATCH_MICROPHONE);
}

/** How many microphone streams were opened, and how many of their tracks are still live. */
function microphone(page: Page): Promise<{ opened: number; live: number }> {
  return page.evaluate(MICROPHONE_STATE) as Promise<{ opened: number; live: number }>;
}

function log(page: Page, name: string): Locator {
  return page.getByRole('log', { name: `Conversation with ${name}` });
}

/** Whether `inner` lies within `outer` on screen (1 px of rounding allowed). */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) throw new Error('not on screen');
  expect(a.x).toBeGreaterThanOrEqual(b.x - 1);
  expect(a.y).toBeGreaterThanOrEqual(b.y - 1);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 1);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 1);
}

/**
 * Waits until the recording bar's timer (the page's only one; named in the UI's language) shows
 * at least `seconds`: a loaded machine may skip a tick.
 */
async function recordedFor(page: Page, seconds: number): Promise<void> {
  const timer = page.getByRole('timer');
  await expect
    .poll(
      async () => {
        const match = /^(\d+):(\d\d)$/.exec((await timer.textContent()) ?? '');
        return match ? Number(match[1]) * 60 + Number(match[2]) : -1;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(seconds);
}

test('a voice note is recorded, sent, arrives with its waveform, and plays', async ({ browser, people }) => {
  // Real time passes here: seconds of recording, then the whole note played.
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const errors: string[] = [];
  for (const page of [alice, bob]) page.on('pageerror', (err) => errors.push(err.message));
  await watchMicrophone(alice);
  await startChat(alice, 'bob');

  // Click to record: the microphone is asked for only now, and the recording bar shows the time going.
  expect(await microphone(alice)).toEqual({ opened: 0, live: 0 });
  await alice.getByRole('button', { name: 'Record a voice note' }).click();
  await recordedFor(alice, 2);
  await expect(alice.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  expect(await microphone(alice)).toEqual({ opened: 1, live: 1 });
  await alice.getByRole('button', { name: 'Send voice note' }).click();

  // Sent: the microphone is put back at once, and the note is in alice's conversation.
  await expect(alice.getByRole('timer', { name: 'Recording' })).toHaveCount(0);
  await expect.poll(() => microphone(alice)).toEqual({ opened: 1, live: 0 });
  await expect(log(alice, 'bob').getByRole('slider', { name: 'Voice note position' })).toBeVisible();

  // Bob gets it with its waveform: the fake microphone's beeps stand out of the silence between them.
  await bob.getByRole('button', { name: /^alice/ }).click();
  const note = log(bob, 'alice').locator('.message.incoming').filter({ has: bob.getByRole('slider') });
  await expect(note).toHaveCount(1);
  const heights = await note.locator('.voice-wave-bar').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().height));
  expect(heights.length).toBeGreaterThan(10);
  expect(Math.max(...heights)).toBeGreaterThan(3 * Math.min(...heights));
  const slider = note.getByRole('slider', { name: 'Voice note position' });
  // At least the 2 s the timer showed; longer when the machine was slow to take the click.
  const length = Number(await slider.getAttribute('aria-valuemax'));
  expect(length).toBeGreaterThanOrEqual(2);
  expect(length).toBeLessThan(60);
  await expect(slider).toHaveAttribute('aria-valuetext', `0:00 of 0:${String(length).padStart(2, '0')}`);

  // Play: the button becomes Pause and the time moves on, to the end, where it is Play again.
  await note.getByRole('button', { name: 'Play voice note' }).click();
  await expect(note.getByRole('button', { name: 'Pause voice note' })).toBeVisible();
  await expect.poll(() => slider.getAttribute('aria-valuenow'), { timeout: 15_000 }).not.toBe('0');
  await expect(note.getByRole('button', { name: 'Play voice note' })).toBeVisible({ timeout: (length + 15) * 1000 });

  // Seek by keyboard: End, Home, and the arrows move within the note.
  await slider.focus();
  await slider.press('End');
  await expect(slider).toHaveAttribute('aria-valuenow', String(length));
  await slider.press('Home');
  await expect(slider).toHaveAttribute('aria-valuenow', '0');
  await slider.press('ArrowRight');
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  // …and by a click 60 % along the waveform.
  await slider.press('Home');
  const box = await slider.boundingBox();
  if (!box) throw new Error('the waveform is not on screen');
  await bob.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(Math.floor(length * 0.6) - 1);
  expect(Number(await slider.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(Math.ceil(length * 0.6));

  expect(errors).toEqual([]);
});

test('hold to record sends on release; sliding away or Escape cancels, and the microphone goes back each time', async ({ browser, people }) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await watchMicrophone(alice);
  await startChat(alice, 'bob');
  const mic = alice.getByRole('button', { name: 'Record a voice note' });
  const box = await mic.boundingBox();
  if (!box) throw new Error('no microphone button');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const sliders = log(alice, 'bob').getByRole('slider', { name: 'Voice note position' });

  // Held for over a second, released on the button: sent.
  await alice.mouse.move(centre.x, centre.y);
  await alice.mouse.down();
  await expect(alice.getByText('Release to send, slide away to cancel')).toBeVisible();
  await recordedFor(alice, 1);
  await alice.mouse.up();
  await expect(sliders).toHaveCount(1);
  await expect.poll(() => microphone(alice)).toEqual({ opened: 1, live: 0 });

  // Held, slid away, released: nothing sent.
  await alice.mouse.move(centre.x, centre.y);
  await alice.mouse.down();
  await recordedFor(alice, 1);
  await alice.mouse.move(centre.x - 200, centre.y, { steps: 4 });
  await expect(alice.getByText('Release to cancel')).toBeVisible();
  await alice.mouse.up();
  await expect(alice.getByRole('timer', { name: 'Recording' })).toHaveCount(0);
  await expect.poll(() => microphone(alice)).toEqual({ opened: 2, live: 0 });

  // Clicked to record, then Escape: nothing sent either; and the text typed before is still there.
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.fill('draft');
  await mic.click();
  await recordedFor(alice, 1);
  await alice.keyboard.press('Escape');
  await expect(alice.getByRole('timer', { name: 'Recording' })).toHaveCount(0);
  await expect(composer).toHaveValue('draft');
  await expect.poll(() => microphone(alice)).toEqual({ opened: 3, live: 0 });
  await expect(sliders).toHaveCount(1);
});

test('a refused microphone says so in the composer', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  // What a browser answers when the person (or a policy) refuses the microphone.
  await alice.evaluate(REFUSE_MICROPHONE);
  await alice.getByRole('button', { name: 'Record a voice note' }).click();
  await expect(alice.getByRole('alert')).toContainText('Warbler may not use the microphone');
  await expect(alice.getByRole('timer', { name: 'Recording' })).toHaveCount(0);
  await expect(alice.getByRole('button', { name: 'Record a voice note' })).toBeEnabled();
});

test('the recorder and a received voice note fit, light and dark, English and Chinese, wide and narrow', async ({ browser, people }, testInfo) => {
  // Eight layouts, each with a recording of a second or more and two pages reloaded.
  test.setTimeout(300_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await alice.getByRole('button', { name: 'Record a voice note' }).click();
  await recordedFor(alice, 3);
  await alice.getByRole('button', { name: 'Send voice note' }).click();
  await expect(log(alice, 'bob').getByRole('slider')).toHaveCount(1);

  const bobUrl = new URL(bob.url());
  const aliceUrl = new URL(alice.url());
  for (const language of ['en', 'zh-CN'] as const) {
    bobUrl.searchParams.set('lang', language);
    aliceUrl.searchParams.set('lang', language);
    await bob.goto(bobUrl.toString());
    await alice.goto(aliceUrl.toString());
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 420]) {
        const tag = `${language}-${scheme}-${width}`;
        for (const page of [alice, bob]) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.setViewportSize({ width, height: 720 });
          // Narrow, the conversation left open takes the window: back to the list to choose.
          const back = page.getByRole('button', { name: /^(Back to conversations|返回会话列表)$/ });
          if (await back.isVisible()) await back.click();
        }
        // Bob's side: the note he received, inside its bubble.
        await bob.getByRole('button', { name: /^alice/ }).click();
        const received = bob.locator('.message.incoming').filter({ has: bob.locator('.voice-player') });
        await expect(received).toHaveCount(1);
        await expectInside(received.locator('.voice-player'), received);
        await expectInside(received, bob.locator('.message-list'));
        await keep(bob, testInfo, `received-${tag}`);

        // Alice's side, while recording: the bar and its buttons inside the composer.
        await alice.getByRole('button', { name: /^bob/ }).click();
        const mic = alice.locator('.voice-mic');
        await mic.click();
        const bar = alice.locator('.voice-bar');
        await recordedFor(alice, 1);
        await expectInside(bar, alice.locator('.composer'));
        await expectInside(mic, alice.locator('.composer'));
        await keep(alice, testInfo, `recording-${tag}`);
        await alice.keyboard.press('Escape');
        await expect(bar).toHaveCount(0);
      }
    }
  }
});
