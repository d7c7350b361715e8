/**
 * The browser app in Debian's Chromium against a real messenger and the demo operator, wired as `signet dev`
 * wires them: registration with codes read from the development SMS panel, identification outcomes, the session
 * surviving a reload, settings. Screenshots of each screen go to test-output/web/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { browserSession } from './support/session';
import { SILENT_NUMBER } from './support/stack';
import { codeFromDevPanel, enterCodeFromPanel, enterNumber, register, waitForHeading } from './support/ui';

const BROWSER_TEST_TIMEOUT = 60_000;

describe.skipIf(!hasChromium)('web app in Chromium (needs /usr/bin/chromium)', () => {
  const web = browserSession();
  const { errors, newPage } = web;
  /** Signed-in pages shared by the tests that follow registration. */
  const pages: Record<string, Page> = {};

  it(
    'checks the number before sending it, by keyboard, and shows the server’s refusal',
    async () => {
      const page = await newPage();
      await page.goto(web.stack.url);
      await waitForHeading(page, 'Sign in to Signet');
      await screenshot(page, '01-registration');
      expect(await page.getByLabel('Country').inputValue()).toBe('RU');

      // Keyboard only: from the focused heading, Tab to the country, Tab to the number, Enter to submit.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type('900 12ab');
      await page.keyboard.press('Enter');
      const phone = page.getByLabel('Phone number');
      await page.getByText('Use digits only').waitFor();
      expect(await phone.getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('tel');

      await phone.fill('900 123');
      await page.keyboard.press('Enter');
      await page.getByText('Numbers in Russia have 10 digits after +7').waitFor();

      // Well formed but not a real number: the server's INVALID_PHONE_NUMBER, said next to the field.
      await phone.fill('+7 000 000-00-00');
      await page.keyboard.press('Enter');
      await page.getByText('This is not a valid mobile number').waitFor();
      await screenshot(page, '02-registration-invalid-number');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'registers two demo numbers in two browsers with codes from the development panel; both get identified',
    async () => {
      const [first, second] = [await newPage(), await newPage()];
      pages.first = first;
      pages.second = second;

      await first.goto(web.stack.url);
      await enterNumber(first, '900 123-45-67');
      await waitForHeading(first, 'Enter the code');
      // The next step's heading has the focus.
      expect(await first.evaluate(() => document.activeElement?.textContent)).toBe('Enter the code');
      await codeFromDevPanel(first);
      await screenshot(first, '03-code-with-dev-panel');
      await enterCodeFromPanel(first);

      // The second browser uses the panel's fill-in button and the trunk prefix 8 that people in Russia type.
      await second.goto(web.stack.url);
      await enterNumber(second, '8 900 100-00-02');
      await second.getByRole('button', { name: /^Fill in code \d{6}$/ }).click();
      await second.getByRole('button', { name: 'Confirm' }).click();

      await Promise.all([waitForHeading(first, 'You are identified'), waitForHeading(second, 'You are identified')]);
      expect(await first.getByRole('banner').textContent()).toContain('+7 900 123-45-67');
      expect(await second.getByRole('banner').textContent()).toContain('+7 900 100-00-02');
      expect(new URL(first.url()).pathname).toBe('/identification');
      expect(new URL(second.url()).pathname).toBe('/identification');
      await screenshot(first, '04-identified');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'keeps the session across a reload, from IndexedDB',
    async () => {
      const page = pages.first!;
      await page.reload();
      await waitForHeading(page, 'You are identified');
      expect(await page.getByRole('banner').textContent()).toContain('+7 900 123-45-67');

      await page.getByRole('link', { name: 'Chats' }).click();
      await waitForHeading(page, 'Chats');
      await page.getByText('No conversations yet.').waitFor();
      await screenshot(page, '05-chats');
      await page.getByRole('link', { name: 'Official notices' }).first().click();
      await waitForHeading(page, 'Official notices');
      await page.getByText('This conversation is read-only').waitFor();
      await screenshot(page, '06-official-notices');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows the time left while the operator is asked',
    async () => {
      const page = await newPage();
      await register(page, web.stack.url, SILENT_NUMBER);
      await waitForHeading(page, 'Asking your operator');
      const timer = page.getByRole('timer');
      await timer.waitFor();
      expect(await timer.textContent()).toMatch(/^(20:00|19:[0-5]\d)$/);
      await screenshot(page, '07-pending-countdown');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows a denial with the operator’s reason and what to do, and tries again after a fresh SMS code',
    async () => {
      const page = await newPage();
      pages.denied = page;
      await register(page, web.stack.url, '900 100-00-03');
      await waitForHeading(page, 'Your operator did not confirm you');
      await page.getByText('lacks the identity data the law requires').first().waitFor();
      await page.getByText('update it with your operator, then try again').waitFor();
      await screenshot(page, '08-denied');

      await page.getByRole('button', { name: 'Try again' }).click();
      await waitForHeading(page, 'Try identification again');
      await page.getByRole('button', { name: 'Send code to +7 900 100-00-03' }).click();
      await waitForHeading(page, 'Confirm your number');
      await enterCodeFromPanel(page);
      // The operator denies again: a second attempt is in the history.
      await waitForHeading(page, 'Your operator did not confirm you');
      await page.getByText('Identification history (2)').waitFor({ timeout: 20_000 });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'says so when no operator serves the number',
    async () => {
      const page = await newPage();
      await register(page, web.stack.url, '999 123-45-67');
      await waitForHeading(page, 'No operator we work with serves this number');
      await screenshot(page, '09-no-operator');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'sets a password in settings, asks for it when the number signs in on another browser, and removes that browser',
    async () => {
      const page = pages.first!;
      await page.getByRole('link', { name: 'Settings' }).click();
      await waitForHeading(page, 'Settings');
      await page.getByText('No password is set.').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('correct horse battery');
      await page.getByLabel('Repeat the new password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText('Password set.').waitFor();
      await page.getByText('A password is set.').waitFor();

      const other = await newPage({ width: 390, height: 844 });
      await register(other, web.stack.url, '900 123-45-67');
      await waitForHeading(other, 'This number has a password');
      await other.getByLabel('Password').fill('wrong password');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByText('That password is not the one set for this number').waitFor();
      await screenshot(other, '10-password-step-narrow');
      await other.getByLabel('Password').fill('correct horse battery');
      await other.getByRole('button', { name: 'Sign in' }).click();
      // An identified account's new browser opens on its chats.
      await waitForHeading(other, 'Chats');
      await other.getByText('This browser was added to your existing account.').waitFor();
      // Every page of the navigation is reachable on a phone without scrolling sideways.
      const settingsLink = await other.getByRole('link', { name: 'Settings' }).boundingBox();
      expect(settingsLink!.x + settingsLink!.width).toBeLessThanOrEqual(390);
      await screenshot(other, '11-chats-narrow');

      await page.reload();
      await waitForHeading(page, 'Settings');
      const devices = page.getByRole('list').filter({ hasText: 'this device' });
      await devices.getByRole('listitem').nth(1).waitFor();
      await screenshot(page, '12-settings-devices');
      await page.getByRole('button', { name: /^Remove Chrome on Linux/ }).click();
      await page.getByRole('button', { name: 'Remove this device' }).click();
      await page.getByText('was signed out and removed').waitFor();
      // The removed browser learns it over its socket and goes back to registration.
      await waitForHeading(other, 'Sign in to Signet');
      await other.getByText('This browser was signed out').waitFor();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows a suspension after the operator’s termination notice and walks through re-identification',
    async () => {
      const page = pages.first!;
      await web.stack.operator.subscribers.terminate('+79001234567');
      // Pushed over the socket: the header's badge changes wherever the user is.
      await page.getByRole('navigation').getByText('suspended').waitFor({ timeout: 20_000 });
      await page.getByRole('link', { name: /^Identification/ }).click();
      await waitForHeading(page, 'Your account is suspended');
      await page.getByText('the contract for this number ended').waitFor();
      await screenshot(page, '13-suspended');

      await web.stack.operator.subscribers.add({ phoneNumber: '+79001234567', identityComplete: true });
      await page.getByRole('button', { name: 'Re-identify' }).click();
      await page.getByRole('button', { name: 'Send code to +7 900 123-45-67' }).click();
      await waitForHeading(page, 'Confirm your number');
      await enterCodeFromPanel(page);
      // The account has a password (set above): re-identification asks for it.
      await waitForHeading(page, 'Enter your password');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Re-identify' }).click();
      await waitForHeading(page, 'You are identified');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'deletes an account after confirmation',
    async () => {
      const page = pages.denied!;
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Delete account' }).click();
      await page.getByText('This cannot be undone.').waitFor();
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await waitForHeading(page, 'Sign in to Signet');
      await page.getByText('Your account was deleted.').waitFor();
      const left = await web.stack.server.ctx.db.db
        .selectFrom('accounts')
        .select('id')
        .where('phone_number', '=', '+79001000003')
        .execute();
      expect(left).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'fits the registration screen on a phone-sized screen, in dark mode too',
    async () => {
      const page = await newPage({ width: 390, height: 844 }, 'dark');
      await page.goto(web.stack.url);
      await waitForHeading(page, 'Sign in to Signet');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await screenshot(page, '14-registration-narrow-dark');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it('met no script errors and no content-security-policy violations', () => {
    expect(errors).toEqual([]);
  });
});
