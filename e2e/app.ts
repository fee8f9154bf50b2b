// Driving the app as a person does: one web host per profile, one browser context per person.
import path from 'node:path';
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { runRelayCommand, startRelay, startWebHost, tempDir, type Running } from './processes.js';

/** The relay of one test, as its operator runs it: stopped, administered, started again at the same URL. */
export class Relay {
  private running: Running | null = null;
  private address: string | null = null;

  constructor(
    readonly dataDir: string,
    private readonly flags: readonly string[] = [],
  ) {}

  /** The same while it is stopped and after a restart: clients keep it and reconnect by themselves. */
  get url(): string {
    if (this.address === null) throw new Error('the relay was never started');
    return this.address;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const port = this.address === null ? 0 : Number(new URL(this.address).port);
    this.running = await startRelay(this.dataDir, port, this.flags);
    this.address = this.running.url;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  /** Frees a username whose owner lost every device; the relay must be stopped. Resolves to what it printed. */
  resetAccount(username: string): Promise<string> {
    if (this.running) throw new Error('stop the relay before changing its data');
    return runRelayCommand(['reset-account', username, '--data', this.dataDir]);
  }
}

interface Device {
  profile: string;
  host: Running;
  context: BrowserContext;
}

export class People {
  private readonly devices: Device[] = [];

  constructor(
    private readonly dir: string,
    private readonly relayUrl: () => string,
  ) {}

  get relay(): string {
    return this.relayUrl();
  }

  /**
   * A new person in a fresh browser context, registered through the first-run screen. `profile` names
   * the device's profile directory: a person starting over on a new device joins with a new one.
   */
  async join(browser: Browser, username: string, profile = username): Promise<Page> {
    const page = await this.open(browser, profile);
    await expect(page.getByLabel('Server URL')).toHaveValue(this.relayUrl());
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(accountButton(page, username)).toBeVisible();
    return page;
  }

  /**
   * That profile's web host, in a fresh browser context. English by default (named in the link, as
   * the tests read English); another language comes from the browser's own, as a person's would.
   */
  async open(browser: Browser, profile: string, language: 'en' | 'zh-CN' = 'en'): Promise<Page> {
    const host = await startWebHost(path.join(this.dir, profile), this.relayUrl());
    const context = await browser.newContext({ locale: language });
    this.devices.push({ profile, host, context });
    const page = await context.newPage();
    await page.goto(language === 'en' ? `${host.url}&lang=en` : host.url);
    return page;
  }

  /** That device is gone: its page closes and its web host stops (its profile stays on disk). */
  async stop(profile: string): Promise<void> {
    for (const device of this.devices.filter((d) => d.profile === profile)) {
      this.devices.splice(this.devices.indexOf(device), 1);
      await device.context.close();
      await device.host.stop();
    }
  }

  /** Every device is gone, as with stop(): a page left open would keep reconnecting for the rest of the run. */
  async stopAll(): Promise<void> {
    for (const { host, context } of this.devices.splice(0)) {
      await context.close();
      await host.stop();
    }
  }
}

/** The new-chat dialog, opened from the pencil over the conversation list. */
export async function openNewChat(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New chat' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The avatar at the foot of the rail: there once the person is signed in. */
export function accountButton(page: Page, username?: string): Locator {
  if (username !== undefined) return page.getByRole('button', { name: new RegExp(`^(Account: |账户：)${username}$`) });
  return page.getByRole('button', { name: /^(Account: |账户：)/ });
}

/** One of the account menu's dialogs (Settings, Your devices, Link a device), opened from the avatar, in either language. */
export async function openAccountDialog(page: Page, name: string): Promise<Locator> {
  await accountButton(page).click();
  await page.getByRole('menu').getByRole('menuitem', { name, exact: true }).click();
  const dialog = page.getByRole('dialog', { name });
  await expect(dialog).toBeVisible();
  return dialog;
}

export async function startChat(page: Page, username: string): Promise<void> {
  const dialog = await openNewChat(page);
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: username, level: 2 })).toBeVisible();
}

/** A group made from the new-chat dialog, shown once made. */
export async function createGroup(page: Page, name: string, members: string): Promise<void> {
  const form = (await openNewChat(page)).getByRole('form', { name: 'New group' });
  await form.getByLabel('Group name').fill(name);
  await form.getByLabel('Members', { exact: true }).fill(members);
  await form.getByRole('button', { name: 'Create group' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** A screenshot of the page, attached to the test and kept as a file (test-results/…) to be looked at. */
/**
 * Subscribes to a topic through the notification center's dialog, the center already open; resolves
 * to the center. `input` is what is typed: the topic's name, or its URL.
 */
export async function subscribeTopic(page: Page, topic: string, input = topic): Promise<Locator> {
  const center = page.getByRole('region', { name: 'Notification center' });
  await center.getByRole('button', { name: 'Subscribe to a topic' }).click();
  const dialog = page.getByRole('dialog', { name: 'Subscribe to a topic' });
  await dialog.getByLabel('Topic', { exact: true }).fill(input);
  await dialog.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(center.getByText(`Subscribed to ${topic}.`)).toBeVisible();
  await expect(center.getByRole('button', { name: `Settings for ${topic}` })).toBeVisible();
  return center;
}

export async function keep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ path: testInfo.outputPath(`${name}.png`) }), contentType: 'image/png' });
}

export async function say(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

/**
 * Each test gets its own relay (a process) and the people it brings in, stopped afterwards. Tests
 * that play the relay's operator ask for `relay` too.
 */
export const test = base.extend<{ workDir: string; relay: Relay; people: People }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  workDir: async ({}, use) => {
    await use(tempDir());
  },
  relay: async ({ workDir }, use) => {
    const relay = new Relay(path.join(workDir, 'relay'));
    await relay.start();
    await use(relay);
    await relay.stop();
  },
  people: async ({ workDir, relay }, use) => {
    const people = new People(workDir, () => relay.url);
    await use(people);
    await people.stopAll();
  },
});
