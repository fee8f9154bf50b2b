// Driving the app as a person does: one web host per profile, one browser context per person.
import path from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startRelay, startWebHost, tempDir, type Running } from './processes.js';

export class People {
  private readonly hosts: Running[] = [];

  constructor(
    private readonly dir: string,
    private readonly relayUrl: () => string,
  ) {}

  get relay(): string {
    return this.relayUrl();
  }

  /** A new person in a fresh browser context, registered through the first-run screen. */
  async join(browser: Browser, username: string): Promise<Page> {
    const page = await this.open(browser, username);
    await expect(page.getByLabel('Server URL')).toHaveValue(this.relayUrl());
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
    return page;
  }

  async open(browser: Browser, profile: string): Promise<Page> {
    const host = await startWebHost(path.join(this.dir, profile), this.relayUrl());
    this.hosts.push(host);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${host.url}&lang=en`);
    return page;
  }

  async stopAll(): Promise<void> {
    for (const host of this.hosts.splice(0)) await host.stop();
  }
}

export async function startChat(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await expect(page.getByRole('heading', { name: username, level: 2 })).toBeVisible();
}

export async function say(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

/** Each test gets its own relay (a process) and the people it brings in, stopped afterwards. */
export const test = base.extend<{ people: People }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  people: async ({}, use) => {
    const dir = tempDir();
    const relay = await startRelay(path.join(dir, 'relay'));
    const people = new People(dir, () => relay.url);
    await use(people);
    await people.stopAll();
    await relay.stop();
  },
});
