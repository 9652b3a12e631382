// Growing Great People in the browser: a leader sets a goal from their profile,
// adds evidence with a file, shares goals with their coach; the coach agrees a
// level beside the leader's own; the leader sees where they agree. axe-core runs
// on every page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

// In the demo trust Ben Khan coaches Dev Thomas, who shares reflections with him.
const LEADER = 'dev.thomas@oakwood.example';
const COACH = 'ben.khan@oakwood.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('a goal from the profile, evidence with a file, and a coach who agrees a level', async () => {
  const leaderContext = await browser.newContext();
  const leader = await leaderContext.newPage();
  await signIn(leader, LEADER, { axe: false });
  await leader.goto(`${BASE}/profile`);
  const row = leader.locator('[data-test-row="1a i"]');
  await row.locator('[data-test-start-goal]').click();
  await leader.locator('[data-test-new-goal]').waitFor();
  await checkAccessibility(leader, 'start a goal');
  assert.ok(await leader.locator('[data-test-prompts] li').count() > 0, 'prompts from the framework');
  await leader.getByLabel('Goal', { exact: true }).fill('Lead our safeguarding culture');
  await leader.getByLabel('Success criteria').fill('Every new colleague can say what to do and whom to tell');
  await leader.getByLabel('Coaching', { exact: true }).check();
  await leader.getByRole('button', { name: 'Start the goal' }).click();
  await leader.waitForURL(/\/goals\/\d+$/);
  const goalUrl = leader.url();
  assert.equal(await leader.locator('[data-test-goal-title]').textContent(), 'Lead our safeguarding culture');
  await checkAccessibility(leader, 'a goal');
  await leader.getByLabel('New action').fill('Walk the site with the DSL');
  await leader.getByLabel('Due').fill('2027-01-20');
  await leader.getByRole('button', { name: 'Add the action' }).click();
  await leader.locator('[data-test-action]').first().waitFor();

  // Evidence, from the component's "Add evidence" link: tagged in advance.
  await leader.goto(`${BASE}/profile`);
  await leader.locator('[data-test-row="1a i"] [data-test-add-evidence-link]').click();
  await leader.locator('[data-test-add-evidence]').waitFor();
  await checkAccessibility(leader, 'my evidence');
  await leader.locator('#ev-title').fill('Safeguarding walk notes');
  await leader.getByLabel('File', { exact: true }).setInputFiles({ name: 'walk notes.pdf', mimeType: 'application/pdf', buffer: PDF });
  await leader.getByLabel('Lead our safeguarding culture').check();
  await leader.getByRole('button', { name: 'Add the evidence' }).click();
  await leader.locator('[data-test-evidence="Safeguarding walk notes"]').waitFor();
  await leader.goto(goalUrl);
  assert.match(await leader.locator('[data-test-goal-evidence]').textContent(), /Safeguarding walk notes/);
  await leader.goto(`${BASE}/profile`);
  assert.match(await leader.locator('[data-test-row="1a i"]').textContent(), /Safeguarding walk notes/);

  // Share goals with the coach from the goals page.
  await leader.goto(`${BASE}/goals`);
  await checkAccessibility(leader, 'my goals');
  await leader.locator('[data-test-audience="coach"]').getByRole('button', { name: /Share with My coach/ }).click();
  await leader.waitForURL(/\/goals#sharing$/);

  // The coach records their own view of 1a i and checks in on the goal.
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, COACH, { axe: false });
  await coach.goto(`${BASE}/people`);
  await coach.locator('[data-test-supported="Dev Thomas"] a[data-test-coaching]').click();
  await coach.locator('[data-test-coach-views]').waitFor();
  await checkAccessibility(coach, 'coaching a colleague');
  const component = coach.locator('[data-test-component="1a i"]');
  const theirs = (await component.locator('[data-test-their-choice]').textContent()).replace(/^\s*Dev Thomas:\s*/, '').trim();
  const mine = (theirs.startsWith('No choice') || theirs.startsWith('Not shared')) ? '' : theirs.split('\n')[0].trim();
  // The descriptors are to hand, folded until asked for.
  await component.locator('details.descriptors summary').click();
  assert.match(await component.locator('details.descriptors').textContent(), /Highest impact/);
  // Each view saves as it is chosen.
  await component.getByLabel('Highest impact', { exact: true }).check();
  await component.locator('[data-status]').filter({ hasText: /^Saved$/ }).waitFor();
  await component.locator('#comment-1a-i').fill('Seen in the new induction; agreed in our meeting');
  await component.locator('[data-status]').filter({ hasText: /^Saved$/ }).waitFor();
  await coach.reload();
  assert.equal(await coach.locator('[data-test-component="1a i"]').getByLabel('Highest impact', { exact: true }).isChecked(), true);
  assert.equal(await coach.locator('#comment-1a-i').inputValue(), 'Seen in the new induction; agreed in our meeting');
  await coach.goto(goalUrl);
  await checkAccessibility(coach, 'a coachee’s goal');
  await coach.getByLabel('Progress').fill('The walk happened; next the governors');
  await coach.getByLabel(/Green/).check();
  await coach.getByRole('button', { name: 'Add the check-in' }).click();
  await coach.locator('[data-test-check-in="Ben Khan"]').waitFor();

  // The leader sees the coach's view beside their own, and the coach's check-in.
  await leader.goto(`${BASE}/coaching`);
  await checkAccessibility(leader, 'my coaching');
  const compared = leader.locator('[data-test-component="1a i"]');
  assert.match(await compared.textContent(), /Seen in the new induction/);
  const agreement = await compared.getAttribute('data-agreement');
  assert.equal(agreement, mine === 'Highest impact' ? 'agree' : (mine ? 'differ' : ''));
  await leader.goto(goalUrl);
  assert.equal(await leader.locator('[data-test-check-in="Ben Khan"]').count(), 1);
  await leader.goto(`${BASE}/profile/calendar`);
  await checkAccessibility(leader, 'calendar and reminders');
  await coachContext.close();
  await leaderContext.close();
});

test('an administrator sees the trust’s cycles and the insight heatmap', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@demo-trust.example', { axe: false });
  await page.goto(`${BASE}/admin/cycles`);
  await checkAccessibility(page, 'administration: cycles');
  assert.ok(await page.locator('[data-test-cycle]').count() >= 1);
  await page.getByRole('link', { name: 'Insight' }).click();
  await page.locator('[data-test-heatmap]').first().waitFor();
  await checkAccessibility(page, 'insight heatmap');
  assert.ok(await page.locator('[data-test-cell="shown"]').count() > 0, 'the demo trust has numbers to show');
  await page.getByLabel('Columns').selectOption('role');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/group=role/);
  await checkAccessibility(page, 'insight heatmap by role');
  await page.locator('[data-test-heat-row="1a i"] th a').click();
  await page.locator('[data-test-trend-chart]').waitFor();
  await checkAccessibility(page, 'insight: one component across cycles');
  await page.getByRole('link', { name: 'Priorities' }).click();
  await page.locator('[data-test-priorities]').waitFor();
  await checkAccessibility(page, 'insight: priorities');
  const csv = await page.request.get(await page.locator('[data-test-priorities-csv]').getAttribute('href', { timeout: 5000 }).then((href) => `${BASE}${href}`));
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^rank,component,title/);
  await page.goto(`${BASE}/expertise`);
  await checkAccessibility(page, 'expertise directory');
  await context.close();
});
