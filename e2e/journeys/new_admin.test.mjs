// A new administrator, from the set-up link of an empty server to a trust with
// a school, its staff uploaded from a spreadsheet, everyone invited and each
// leader given a coach, guided only by the home page's checklist. axe-core,
// reflow at 320 px and the refused upload are checked on the way.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { launch, checkAccessibility, visited } from './browser.mjs';

const BIN = process.env.LEADKIT_E2E_BIN;
const data = mkdtempSync(join(tmpdir(), 'leadkit-new-admin-'));
const port = await new Promise((resolve) => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1', () => { const { port: free } = probe.address(); probe.close(() => resolve(free)); });
});
const server = spawn(BIN, ['serve', '--data-dir', data, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
const setupLink = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no set-up link within 30 s:\n${output}`)), 30000);
  const read = (chunk) => {
    output += chunk;
    const found = output.match(/http:\/\/127\.0\.0\.1:\d+\/setup\/[0-9a-f]+/);
    if (found && output.includes('listening on')) { clearTimeout(timer); resolve(found[0]); }
  };
  server.stdout.on('data', read);
  server.stderr.on('data', read);
  server.on('exit', (code) => reject(new Error(`leadkit exited (${code}):\n${output}`)));
});
const BASE = `http://127.0.0.1:${port}`;

const browser = await launch();
after(async () => {
  await browser.close();
  server.kill();
  rmSync(data, { recursive: true, force: true });
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

async function fits(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `${label} scrolls sideways at 320 px (${width} px)`);
  await checkAccessibility(page, label);
}

async function task(page, label) {
  const item = page.locator(`[data-test-task="${label}"]`);
  return { done: (await item.getAttribute('data-test-done')) !== null, text: await item.textContent() };
}

test('a new administrator sets up the trust from the home page checklist alone', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto(setupLink);
  await fits(page, 'set-up');
  await page.getByLabel("Your trust's name").fill('Northfield Learning Trust');
  await page.getByLabel('Your name').fill('Nia Patel');
  await page.getByLabel('Your email address').fill('nia@northfield.example');
  await page.getByLabel('Choose a password (at least 10 characters)').fill('a long enough password');
  await page.getByLabel('Type the password again').fill('a long enough password');
  await page.getByRole('button', { name: 'Create the trust and sign in' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.locator('[data-test-setup]').waitFor();
  await fits(page, 'a new administrator’s home');
  assert.equal((await task(page, 'Add your schools')).done, false);
  assert.equal((await task(page, 'Open a cycle')).done, true, 'setting up opens the first cycle');

  // 1. Schools, from the checklist's link.
  await page.locator('[data-test-task="Add your schools"] a').click();
  await page.waitForURL(/\/admin\/schools$/);
  await page.getByLabel('School name').fill('Northfield Primary');
  await page.locator('[data-test-add-school]').click();
  await page.goto(`${BASE}/`);
  assert.equal((await task(page, 'Add your schools')).done, true);

  // 2. Staff, uploaded as a file; a broken row is named by its row in the sheet.
  await page.locator('[data-test-task="Import your staff"] a').click();
  await page.waitForURL(/\/admin\/people\/import$/);
  await fits(page, 'import a staff list');
  const sheet = join(data, 'staff.csv');
  writeFileSync(sheet, 'Name,Email,School,Role\n'
    + 'Amara Okafor,amara@northfield.example,Northfield Primary,leader; coach\n'
    + '\n'
    + 'Ben Khan,ben@northfield.example,Northfield Primary,lead\n');
  await page.getByLabel('Upload the list').setInputFiles(sheet);
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('[data-test-import-problems]').waitFor();
  const problem = await page.locator('[data-test-problem]').first().textContent();
  assert.match(problem, /^row 4: "lead" is not a role/, problem);
  await fits(page, 'a refused staff list');
  writeFileSync(sheet, 'Name,Email,School,Role\n'
    + 'Amara Okafor,amara@northfield.example,Northfield Primary,leader; coach\n'
    + '\n'
    + 'Ben Khan,ben@northfield.example,Northfield Primary,leader\n');
  await page.getByLabel('Upload the list').setInputFiles(sheet);
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('[data-test-import-changes]').waitFor();
  assert.equal(await page.locator('[data-test-change]').count(), 2);
  await page.locator('[data-test-apply]').click();
  await page.locator('[data-test-import-done]').waitFor();

  // 3. Invitations, from the next step the import offers; who first, then all.
  await page.locator('[data-test-next-invite]').click();
  await page.waitForURL(/\/admin\/people\/invite-all$/);
  await fits(page, 'invite everyone not yet invited');
  assert.equal(await page.locator('[data-test-invitee]').count(), 2);
  await page.locator('[data-test-invite-all]').click();
  await page.locator('[data-test-invited-summary]').waitFor();
  assert.equal(await page.locator('[data-test-invited]').count(), 2);
  await page.goto(`${BASE}/`);
  assert.equal((await task(page, 'Invite everyone')).done, true);

  // 4. Coaches: the checklist's link lists the leaders without one.
  await page.locator('[data-test-task="Give each leader a coach"] a').click();
  await page.waitForURL(/coach=none/);
  // The founding administrator reflects too, so needs a coach as well.
  assert.equal(await page.locator('[data-test-person]').count(), 3);
  await page.locator('[data-test-person="ben@northfield.example"] a', { hasText: 'Edit' }).click();
  await fits(page, 'a person’s coach and line manager');
  await page.getByLabel('Find a coach by name').fill('amara');
  assert.equal(await page.locator('#coach option').count(), 2, 'the search keeps the match and "No coach"');
  await page.getByLabel('Coach', { exact: true }).selectOption({ label: 'Amara Okafor · coach' });
  await page.locator('[data-test-save-person]').click();
  await page.goto(`${BASE}/admin/people?role=leader&coach=none`);
  await page.locator('[data-test-person="amara@northfield.example"] a', { hasText: 'Edit' }).click();
  await page.getByLabel('Coach', { exact: true }).selectOption({ label: 'Ben Khan' });
  await page.locator('[data-test-save-person]').click();
  await page.goto(`${BASE}/admin/people?role=leader&coach=none`);
  await page.locator('[data-test-person="nia@northfield.example"] a', { hasText: 'Edit' }).click();
  await page.getByLabel('Coach', { exact: true }).selectOption({ label: 'Amara Okafor · coach' });
  await page.locator('[data-test-save-person]').click();

  // Set up: the checklist gives way to what needs attention.
  await page.goto(`${BASE}/`);
  assert.equal(await page.locator('[data-test-setup]').count(), 0);
  const attention = await page.locator('[data-test-attention]').textContent();
  assert.match(attention, /2 invitations not accepted yet/);
  await fits(page, 'an administrator’s home once set up');
  await context.close();
});
