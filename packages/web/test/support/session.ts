import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { collectErrors, launchChromium } from './browser';
import { buildWebApp } from './build';
import { type Stack, startStack } from './stack';

export interface BrowserSession {
  /** The messenger and the demo operator, started before the suite's tests run. */
  readonly stack: Stack;
  /** The script and console errors of every page the suite opened, for a final check. */
  readonly errors: string[];
  /** A page in a browser context of its own (its own storage: another user), closed after the suite. */
  newPage(viewport?: { width: number; height: number }, colorScheme?: 'light' | 'dark'): Promise<Page>;
}

/**
 * For a browser suite: builds the app the messenger serves, starts the stack and Chromium before the tests, and
 * closes them after. `stepTimeout` makes a step that cannot happen fail with what it waited for, before the
 * test's own timeout.
 */
export function browserSession(options: { stepTimeout?: number } = {}): BrowserSession {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    // The messenger serves packages/web/dist, so the test builds exactly what `npm start` serves.
    await buildWebApp();
    stack = await startStack();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  return {
    get stack() {
      if (!stack) throw new Error('the stack is used before it started');
      return stack;
    },
    errors,
    async newPage(viewport = { width: 1280, height: 900 }, colorScheme) {
      if (!browser) throw new Error('a page is opened before the browser started');
      const context = await browser.newContext({ viewport, ...(colorScheme ? { colorScheme } : {}) });
      if (options.stepTimeout !== undefined) context.setDefaultTimeout(options.stepTimeout);
      contexts.push(context);
      collectErrors(context, errors);
      return context.newPage();
    },
  };
}
