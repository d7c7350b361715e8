import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const SCREENSHOTS = join(import.meta.dirname, '../../../../test-output/web');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Script errors and console errors of every page of a context, for a final check. */
export function collectErrors(context: BrowserContext, into: string[]): void {
  context.on('page', (page) => watch(page, into));
  for (const page of context.pages()) watch(page, into);
}

function watch(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every 4xx answer; the app meets some on purpose (a refused number, a locked one).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      into.push(`console: ${message.text()}`);
    }
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
