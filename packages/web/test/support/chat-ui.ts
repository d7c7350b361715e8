import type { Locator, Page } from 'playwright-core';
import { waitForHeading } from './ui';

const TIMEOUT = 20_000;

/** The chat list, from anywhere in the signed-in app. */
export async function openChats(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chats', exact: true }).click();
  await waitForHeading(page, 'Chats');
}

/** A conversation's entry in the chat list, by the name it starts with (then come the last message and unread count). */
export function chatEntry(page: Page, name: string): Locator {
  const startsWith = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  return page.getByRole('region', { name: 'Chats' }).getByRole('link', { name: startsWith });
}

/** The message in the open conversation that says `text`. */
export function message(page: Page, text: string): Locator {
  return page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text });
}

export async function waitForMessage(page: Page, text: string): Promise<Locator> {
  const item = message(page, text);
  await item.waitFor({ timeout: TIMEOUT });
  return item;
}

/** Types into the open conversation's message box and sends with Enter; waits until the server has it. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message to / });
  await box.fill(text);
  await box.press('Enter');
  await message(page, text)
    .getByText(/^(Sent|Delivered)$/)
    .waitFor({ timeout: TIMEOUT });
}
