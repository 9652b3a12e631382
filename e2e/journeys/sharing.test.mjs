// Sharing with a coach (journey 3's start): a leader shares their reflections with
// their coach in one click, the coach reads them, the leader stops sharing; an
// administrator sees it all in the audit log. axe-core runs on every page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

// In the demo trust Ben Khan (deputy head at Oakwood) coaches Dev Thomas, who has
// shared, and Maya Wood, who has not.
const COACH = 'ben.khan@oakwood.example';
const PRIVATE_LEADER = 'maya.wood@oakwood.example';

test('a leader shares with their coach, the coach reads, the leader stops sharing', async () => {
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, COACH, { axe: false });
  await coach.goto(`${BASE}/people`);
  await checkAccessibility(coach, 'people I support');
  await coach.locator('[data-test-supported="Dev Thomas"] a[data-test-open]').click();
  await coach.locator('[data-test-shared-view]').waitFor();
  assert.match(await coach.locator('h1').textContent(), /Dev Thomas’s profile/);
  await checkAccessibility(coach, 'a profile shared with me');
  await coach.goto(`${BASE}/people`);
  assert.equal(await coach.locator('[data-test-supported="Maya Wood"] [data-test-private]').count(), 1);

  const leaderContext = await browser.newContext();
  const leader = await leaderContext.newPage();
  await signIn(leader, PRIVATE_LEADER, { axe: false });
  await leader.goto(`${BASE}/profile`);
  await checkAccessibility(leader, 'my profile with its sharing panel');
  const coachRow = leader.locator('[data-test-audience="coach"]');
  assert.equal(await coachRow.locator('[data-test-shared]').textContent(), 'not shared');
  await coachRow.getByRole('button', { name: /Share with My coach, Ben Khan/ }).click();
  await leader.waitForURL(/\/profile#sharing$/);
  assert.equal(await leader.locator('[data-test-audience="coach"] [data-test-shared]').textContent(), 'shared');

  await coach.goto(`${BASE}/people`);
  await coach.locator('[data-test-supported="Maya Wood"] a[data-test-open]').click();
  await coach.locator('[data-test-shared-view]').waitFor();

  await leader.locator('[data-test-audience="coach"]').getByRole('button', { name: /Stop sharing/ }).click();
  await leader.waitForURL(/\/profile#sharing$/);
  assert.equal(await leader.locator('[data-test-audience="coach"] [data-test-shared]').textContent(), 'not shared');
  const refused = await coach.goto(`${BASE}${new URL(coach.url()).pathname}`);
  assert.equal(refused.status(), 404);
  await coachContext.close();
  await leaderContext.close();
});

test('an administrator records coaches and reads the audit log', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@demo-trust.example', { axe: false });
  await page.goto(`${BASE}/admin/people`);
  await checkAccessibility(page, 'administration: people');
  assert.equal(
    (await page.locator('[data-test-person="maya.wood@oakwood.example"] [data-test-coach]').textContent()).trim(),
    'Ben Khan',
  );
  await page.locator('[data-test-person="maya.wood@oakwood.example"] a[href$="/relationships"]').click();
  await checkAccessibility(page, 'administration: coach and line manager');
  await page.goto(`${BASE}/admin/people/new`);
  await checkAccessibility(page, 'administration: add a person');
  await page.goto(`${BASE}/admin/audit`);
  await checkAccessibility(page, 'administration: audit log');
  assert.ok(await page.locator('[data-test-audit="viewed_records"]').count() > 0);
  assert.ok(await page.locator('[data-test-audit="unshared"]').count() > 0);
  await context.close();
});

test('an invited person sets a password, signs in and reflects', async () => {
  // The demo server sends no email, so the administrator is shown the one-time
  // link to pass on (the HTTP tests cover the same link sent over SMTP).
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@demo-trust.example', { axe: false });
  await admin.goto(`${BASE}/admin/people/import`);
  await checkAccessibility(admin, 'administration: import a staff list');
  await admin.getByLabel('Or paste the list (CSV)').fill(
    'name,email,school,role,line manager\'s email,team\n'
    + 'Nia Rowe,nia.rowe@oakwood.example,Oakwood Primary Academy,leader,amara.okafor@oakwood.example,\n');
  await admin.locator('[data-test-check]').click();
  assert.match(await admin.locator('[data-test-change]').first().textContent(), /add Nia Rowe/);
  await admin.locator('[data-test-apply]').click();
  await admin.locator('[data-test-import-done]').waitFor();
  await admin.goto(`${BASE}/admin/people`);
  await admin.locator('[data-test-person="nia.rowe@oakwood.example"] [data-test-invite]').click();
  const link = (await admin.locator('[data-test-link]').textContent()).trim();
  await checkAccessibility(admin, 'administration: invitation');
  await adminContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await checkAccessibility(page, 'welcome: choose a password');
  await page.getByLabel('Choose a password').fill('a long enough password');
  await page.getByLabel('Type the password again').fill('a long enough password');
  await page.locator('[data-test-choose-password]').click();
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/reflect/leadership-toolkit/1a`);
  const component = page.locator('[data-test-component="1a i"]');
  await component.locator('input[type=radio][value="some"]').check();
  await component.locator('[data-status]').filter({ hasText: /^Saved$/ }).waitFor();
  await page.goto(`${BASE}/profile`);
  assert.match(await page.locator('[data-test-progress]').textContent(), /^1 of 70/);
  await context.close();
});
