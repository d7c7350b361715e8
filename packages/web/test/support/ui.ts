import type { Page } from 'playwright-core';

const TIMEOUT = 20_000;

/** Waits for the page's main heading (each step's heading takes the focus when it appears). */
export async function waitForHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: TIMEOUT });
}

/** The newest code the development SMS panel shows for the number being verified. */
export async function codeFromDevPanel(page: Page): Promise<string> {
  const panel = page.getByRole('complementary', { name: 'Development: SMS sink' });
  const newest = panel.getByRole('listitem').first();
  await newest.waitFor({ timeout: TIMEOUT });
  const text = (await newest.textContent()) ?? '';
  const code = /Your Signet code: (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the development panel: ${text}`);
  return code;
}

/** The phone step: country (Russia by default) and the number as a person would type it. */
export async function enterNumber(page: Page, typed: string): Promise<void> {
  await waitForHeading(page, 'Sign in to Signet');
  await page.getByLabel('Phone number').fill(typed);
  await page.getByRole('button', { name: 'Send code' }).click();
}

/** Types the code shown in the development panel and confirms it. */
export async function enterCodeFromPanel(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Code from the SMS' }).waitFor({ timeout: TIMEOUT });
  await page.getByRole('textbox', { name: 'Code from the SMS' }).fill(await codeFromDevPanel(page));
  await page.getByRole('button', { name: 'Confirm' }).click();
}

/** Registers a number through the UI, from the first screen to the identification status. */
export async function register(page: Page, url: string, typed: string): Promise<void> {
  await page.goto(url);
  await enterNumber(page, typed);
  await waitForHeading(page, 'Enter the code');
  await enterCodeFromPanel(page);
}
