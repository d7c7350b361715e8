/**
 * The authority features in the browser, end to end against a real messenger: an authority signs in to the
 * console at /authority with its credential file, sends a mailing that a user sees arrive live in "Official
 * notices" marked verified, restricts a public channel post by order (the follower sees it go, the owner sees
 * why), revokes the order, and makes a data request. Screenshots of each screen go to test-output/web/.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AuthorityCredential } from '@signet/client/authority';
import type { AuthorityRole } from '@signet/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { chatEntry } from './support/chat-ui';
import { browserSession } from './support/session';
import { register, waitForHeading } from './support/ui';

const TEST_TIMEOUT = 30_000;
const OWNER = '+7 900 123-45-67';
const FOLLOWER = '+7 900 100-00-02';
const REFERENCE = 'Court order 2-1234/2026 of 1 November 2026';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 390, height: 844 };

describe.skipIf(!hasChromium)('official notices, channels and the authority console in Chromium', () => {
  // A step that cannot happen fails with what it waited for, before the test's own timeout.
  const web = browserSession({ stepTimeout: 20_000 });
  const { errors, newPage } = web;
  let owner: Page;
  let follower: Page;
  /** The authority console. */
  let desk: Page;
  let credential: AuthorityCredential;
  let postNumber: number;

  /** What `signet authority create` writes: the authority made through the server's own admin functions. */
  async function createAuthority(name: string, roles: AuthorityRole[]): Promise<AuthorityCredential> {
    const { authority, privateKey } = await web.stack.server.ctx.authority.admin.create({
      name,
      roles,
      by: 'web-test',
    });
    return {
      type: 'signet-authority-credential',
      version: 1,
      authorityId: authority.id,
      name: authority.name,
      roles: authority.roles,
      privateKey,
      publicKey: authority.publicKey,
    };
  }

  async function signIn(page: Page, cred: AuthorityCredential, file: string): Promise<void> {
    await page.getByLabel('Credential file').setInputFiles({
      name: file,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(cred, null, 2)),
    });
    await page.getByText(`Loaded ${file}.`).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  function consoleNav(name: string): Locator {
    return desk.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
  }

  function post(page: Page, text: string): Locator {
    return page.getByRole('log', { name: 'Posts' }).getByRole('listitem').filter({ hasText: text });
  }

  beforeAll(async () => {
    credential = await createAuthority('District Court', ['restriction', 'mailing', 'data-request']);
  });

  // What each browser showed when a step failed, to see why.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const shown = { owner, follower, desk };
    for (const [name, page] of Object.entries(shown)) {
      if (page && !page.isClosed()) await screenshot(page, `authority-failed-${name}`).catch(() => undefined);
    }
  });

  it(
    'signs in to the console with the credential file, after refusing a key that is not the authority’s',
    async () => {
      [owner, follower, desk] = [await newPage(), await newPage(NARROW), await newPage()];
      const registered = Promise.all([
        register(owner, web.stack.url, OWNER),
        register(follower, web.stack.url, FOLLOWER),
      ]);

      await desk.goto(`${web.stack.url}/authority`);
      await waitForHeading(desk, 'Sign in as an authority');
      // The right id with another key: the server refuses the signature, and the desk says so.
      const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
      await signIn(desk, { ...credential, privateKey: other.toString('base64url') }, 'wrong-key.json');
      await desk.getByRole('alert').filter({ hasText: 'Bad signature' }).waitFor();
      await screenshot(desk, 'authority-01-sign-in-refused');

      await signIn(desk, credential, 'court.json');
      await waitForHeading(desk, 'District Court');
      const roles = desk.getByRole('region', { name: 'Your roles' });
      for (const role of ['restriction', 'mailing', 'data-request'])
        await roles.getByText(role, { exact: true }).waitFor();
      // The desk never touches the user app's IndexedDB, and keeps the key out of storage unless asked.
      expect(await desk.evaluate(() => sessionStorage.length)).toBe(0);
      expect(await desk.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
      await screenshot(desk, 'authority-02-overview');

      await registered;
      await Promise.all([waitForHeading(owner, 'You are identified'), waitForHeading(follower, 'You are identified')]);
    },
    TEST_TIMEOUT,
  );

  it(
    'creates a public channel, and a follower finds it, follows it and reads a post that arrives live',
    async () => {
      await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
      await waitForHeading(owner, 'Public channels');
      await owner.getByRole('link', { name: 'New channel' }).click();
      await waitForHeading(owner, 'New public channel');
      await owner.getByLabel('Name', { exact: true }).fill('Town news');
      await owner.getByLabel('Handle', { exact: true }).fill('@town_news');
      await owner.getByLabel('Description (optional)').fill('What happens in town, first.');
      await screenshot(owner, 'authority-03a-new-channel');
      await owner.getByRole('button', { name: 'Create channel' }).click();
      await waitForHeading(owner, 'Town news');
      await owner.getByText('Not end-to-end encrypted').first().waitFor();
      const box = owner.getByRole('textbox', { name: 'Post to Town news' });
      await box.fill('The market opens at 8 on Saturday.');
      await box.press('Enter');
      await post(owner, 'The market opens at 8 on Saturday.').waitFor();

      await follower.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
      await waitForHeading(follower, 'Public channels');
      await follower.getByRole('searchbox', { name: 'Search channels' }).fill('town');
      await follower.getByRole('button', { name: 'Search' }).click();
      await follower.getByRole('heading', { name: 'Channels matching “town”' }).waitFor();
      await screenshot(follower, 'authority-03b-find-channels-narrow');
      await follower.getByRole('link', { name: /^Town news @town_news/ }).click();
      await waitForHeading(follower, 'Town news');
      await post(follower, 'The market opens at 8 on Saturday.').waitFor();
      await follower.getByRole('button', { name: 'Follow', exact: true }).click();
      await follower.getByRole('button', { name: 'Unfollow' }).waitFor();

      await box.fill('Main street is closed for repairs until Friday.');
      await owner.getByRole('button', { name: 'Post', exact: true }).click();
      const closed = post(follower, 'Main street is closed for repairs until Friday.');
      await closed.waitFor();
      postNumber = Number(/\d+/.exec((await closed.getByText(/^Post \d+$/).textContent()) ?? '')?.[0]);
      expect(postNumber).toBeGreaterThan(0);
      await screenshot(owner, 'authority-03-channel-owner');
      await screenshot(follower, 'authority-04-channel-follower-narrow');
      expect(await follower.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    },
    TEST_TIMEOUT,
  );

  it(
    'sends a mailing that arrives live in official notices, verified, with an unread count; an altered one is flagged',
    async () => {
      await follower.getByRole('link', { name: '← All channels' }).click();
      await follower
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Chats', exact: true })
        .click();
      await waitForHeading(follower, 'Chats');

      await consoleNav('Mailings').click();
      await waitForHeading(desk, 'Mailings');
      await desk.getByLabel('Title', { exact: true }).fill('Storm warning');
      await desk.getByLabel('Text', { exact: true }).fill('Strong wind expected tonight from 22:00. Stay indoors.');
      await desk.getByRole('button', { name: 'Review and send' }).click();
      // Keyboard: the confirmation takes the focus; Enter sends.
      await desk.getByRole('button', { name: 'Sign and send' }).waitFor();
      await screenshot(desk, 'authority-07a-mailing-confirm');
      await desk.keyboard.press('Enter');
      await desk.getByText(/^Mailing \d+ sent to 2 identified accounts\.$/).waitFor();
      const mailing = desk.getByRole('region', { name: 'Your mailings' }).getByRole('listitem').first();
      await mailing.getByText('Storm warning').waitFor();

      const entry = chatEntry(follower, 'Official notices');
      await entry.filter({ hasText: 'District Court: Storm warning' }).filter({ hasText: '1 unread' }).waitFor();
      await screenshot(follower, 'authority-05-chat-list-notice-unread-narrow');
      await entry.click();
      await waitForHeading(follower, 'Official notices');
      const notice = follower
        .getByRole('log', { name: 'Notices' })
        .getByRole('listitem')
        .filter({ hasText: 'Storm warning' });
      await notice.getByText('Verified', { exact: true }).waitFor();
      expect(await notice.textContent()).toContain('District Court');
      expect(await notice.textContent()).toContain('Stay indoors.');
      await screenshot(follower, 'authority-06-official-notices-narrow');

      // Reading it shows in the authority's counts.
      await consoleNav('Mailings').click();
      await desk.getByRole('button', { name: 'Refresh counts' }).click();
      await mailing.getByText(/^1 read/).waitFor();
      await screenshot(desk, 'authority-07-mailings');

      await follower.getByRole('button', { name: 'Mute notices' }).click();
      await follower.getByRole('button', { name: 'Unmute notices' }).waitFor();

      // Text changed on the server after signing: the app checks the signature itself, and warns.
      await web.stack.server.ctx.db.db
        .updateTable('mailings')
        .set({ body: 'Strong wind expected tonight. Gather at the stadium.' })
        .where('title', '=', 'Storm warning')
        .execute();
      await follower.reload();
      const altered = follower
        .getByRole('log', { name: 'Notices' })
        .getByRole('listitem')
        .filter({ hasText: 'stadium' });
      await altered.getByText('Not verified', { exact: true }).waitFor();
      await altered.getByRole('alert').filter({ hasText: 'the signature does not match this text' }).waitFor();
      expect(await altered.getByText('Verified', { exact: true }).count()).toBe(0);
      await screenshot(follower, 'authority-06b-notice-not-verified-narrow');
    },
    TEST_TIMEOUT,
  );

  it(
    'restricts a post by order: the follower no longer sees it, the owner sees why; revoking brings it back',
    async () => {
      await follower.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
      await follower
        .getByRole('region', { name: 'Followed channels' })
        .getByRole('link', { name: /^Town news/ })
        .click();
      await waitForHeading(follower, 'Town news');
      await post(follower, 'Main street is closed').waitFor();

      await consoleNav('Restriction orders').click();
      await waitForHeading(desk, 'Restriction orders');
      await desk.getByLabel('Reference of the decision').fill(REFERENCE);
      await desk
        .getByLabel('Legal ground', { exact: true })
        .fill('Article 15.3: false information about a road closure.');
      await desk.getByLabel('What to restrict').selectOption('channel_post');
      await desk.getByLabel('Post number').fill(String(postNumber));
      await desk.getByRole('button', { name: 'Issue order' }).click();
      await desk.getByText(`Channel post ${postNumber} — hide`).waitFor();

      await post(follower, 'Main street is closed').waitFor({ state: 'detached' });
      await post(follower, 'The market opens').waitFor();
      await follower.getByText('A post was taken down: an authority’s order restricts it.').waitFor();
      const restricted = post(owner, 'Main street is closed');
      await restricted.getByText(`Removed by order ${REFERENCE}.`).waitFor();
      await restricted.getByText('Article 15.3').waitFor();
      await screenshot(owner, 'authority-08-post-restricted-owner');
      await screenshot(follower, 'authority-09-post-gone-follower-narrow');

      const order = desk
        .getByRole('region', { name: 'Your orders' })
        .getByRole('listitem')
        .filter({ hasText: REFERENCE })
        .first();
      await order.getByText('active', { exact: true }).waitFor();
      await order.getByText('Audit trail').click();
      await order.getByText('Issued and applied').waitFor();
      await order.getByRole('button', { name: 'Revoke order' }).click();
      await desk.getByLabel(`Reason for revoking ${REFERENCE}`).fill('Overturned on appeal.');
      await desk.getByRole('button', { name: 'Revoke', exact: true }).click();
      const revoked = desk
        .getByRole('region', { name: 'Your orders' })
        .getByRole('listitem')
        .filter({ hasText: 'Overturned on appeal.' });
      await revoked.getByText('revoked', { exact: true }).waitFor();
      await revoked.getByText('Audit trail').click();
      await revoked
        .getByRole('list', { name: /^Audit trail of order/ })
        .getByText('Revoked', { exact: true })
        .waitFor();
      await screenshot(desk, 'authority-10-orders-audit-trail');

      // The owner is told the order ended; the follower sees the post again when the channel is read afresh.
      await restricted.getByText('Removed by order').waitFor({ state: 'detached' });
      await follower.reload();
      await post(follower, 'Main street is closed').waitFor();
    },
    TEST_TIMEOUT,
  );

  it(
    'answers a data request, and an order on the account id it gave tells the account holder',
    async () => {
      await consoleNav('Data requests').click();
      await waitForHeading(desk, 'Data requests');
      await desk.getByLabel('Reference of the decision').fill(REFERENCE);
      await desk.getByLabel('Legal ground', { exact: true }).fill('Article 13: identification data of the subscriber.');
      await desk.getByRole('textbox', { name: 'Phone number' }).fill(FOLLOWER);
      await desk.getByRole('button', { name: 'Request the record' }).click();
      const answer = desk.getByRole('region', { name: `Record of ${FOLLOWER}` });
      await answer.waitFor();
      await answer.getByText('identified', { exact: true }).first().waitFor();
      expect(await answer.textContent()).toContain('demo-operator');
      await screenshot(desk, 'authority-11-data-request');

      // With the account id the answer gave, an order that suspends the account's sending: its holder is told.
      const heading = (await answer.getByRole('heading', { level: 3 }).first().textContent()) ?? '';
      const accountId = /acc_[A-Za-z0-9_-]+/.exec(heading)?.[0] ?? '';
      await consoleNav('Restriction orders').click();
      await waitForHeading(desk, 'Restriction orders');
      await desk.getByLabel('Reference of the decision').fill('Decision 77/2026 of the Prosecutor');
      await desk.getByLabel('Legal ground', { exact: true }).fill('Article 10.4: mass unsolicited messages.');
      await desk.getByLabel('What to restrict').selectOption('account_sending');
      await desk.getByLabel('Account id').fill(accountId);
      await desk.getByRole('button', { name: 'Issue order' }).click();
      await desk.getByText(`Sending of account ${accountId} — suspend`).waitFor();
      const banner = follower.getByRole('status').filter({ hasText: 'By order Decision 77/2026 of the Prosecutor:' });
      await banner.getByText('Your account cannot send').waitFor();
      await follower.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await waitForHeading(follower, 'Settings');
      const told = follower.getByRole('list', { name: 'Orders about your account' });
      await told
        .getByRole('listitem')
        .filter({ hasText: 'Decision 77/2026' })
        .getByText(/in force/)
        .waitFor();
      // Only the owner of the post was told of the first order, and sees it ended.
      expect(await told.getByRole('listitem').filter({ hasText: REFERENCE }).count()).toBe(0);
      await screenshot(follower, 'authority-11a-account-restricted-narrow');
      await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      const ownerTold = owner.getByRole('list', { name: 'Orders about your account' }).getByRole('listitem');
      await ownerTold
        .filter({ hasText: REFERENCE })
        .getByText(/· revoked since/)
        .waitFor();
      await screenshot(owner, 'authority-11b-orders-told-owner');

      await desk.setViewportSize(NARROW);
      await consoleNav('Restriction orders').click();
      await waitForHeading(desk, 'Restriction orders');
      await desk.emulateMedia({ colorScheme: 'dark' });
      await screenshot(desk, 'authority-12-orders-narrow-dark');
      await desk.emulateMedia({ colorScheme: 'light' });
      expect(await desk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);

      await desk.getByRole('button', { name: 'Sign out' }).click();
      await waitForHeading(desk, 'Sign in as an authority');
      await desk.getByText('You signed out').waitFor();
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps a sign-in across a reload only when asked, says which roles are missing, and forgets the key on sign-out',
    async () => {
      const mailer = await createAuthority('Ministry of Emergencies', ['mailing']);
      await desk.setViewportSize(WIDE);
      await desk.getByLabel('Stay signed in if this tab reloads', { exact: false }).check();
      await signIn(desk, mailer, 'ministry.json');
      await waitForHeading(desk, 'Ministry of Emergencies');
      expect(await desk.evaluate(() => sessionStorage.length)).toBe(1);
      await desk.reload();
      await waitForHeading(desk, 'Ministry of Emergencies');

      // The console's navigation says which sections are not the authority's.
      await consoleNav('Data requests (not your role)').click();
      await waitForHeading(desk, 'Data requests');
      await desk.getByText('Ministry of Emergencies does not hold the role data-request').waitFor();
      expect(await desk.getByRole('button', { name: 'Request the record' }).count()).toBe(0);
      await screenshot(desk, 'authority-13-role-missing');

      await desk.getByRole('button', { name: 'Sign out' }).click();
      await waitForHeading(desk, 'Sign in as an authority');
      expect(await desk.evaluate(() => sessionStorage.length)).toBe(0);
      await desk.reload();
      await waitForHeading(desk, 'Sign in as an authority');
    },
    TEST_TIMEOUT,
  );

  it('met no script errors and no content-security-policy violations', () => {
    expect(errors).toEqual([]);
  });
});
