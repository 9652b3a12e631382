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
  await page.goto(`${BASE}/admin/audit`);
  await checkAccessibility(page, 'administration: audit log');
  assert.ok(await page.locator('[data-test-audit="viewed_records"]').count() > 0);
  assert.ok(await page.locator('[data-test-audit="unshared"]').count() > 0);
  await context.close();
});
