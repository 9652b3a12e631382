// Insight and reports in the browser: a trust lead reads the heatmap, opens
// the governors' report and downloads it as a PDF, then downloads their own
// profile report. axe-core runs on every page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

// In the demo trust Helen Achebe is the chief executive: a trust lead.
const TRUST_LEAD = 'ceo@demo-trust.example';

async function downloaded(page, link) {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const bytes = readFileSync(await download.path());
  return { name: download.suggestedFilename(), bytes };
}

test('a trust lead reads the heatmap and downloads the governors’ report and their own', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, TRUST_LEAD, { axe: false });
  await page.goto(`${BASE}/insight`);
  await page.locator('[data-test-heatmap]').first().waitFor();
  await checkAccessibility(page, 'the heatmap');
  assert.ok(await page.locator('[data-test-cell="shown"]').count() > 0, 'some cells are shown');
  const columns = await page.locator('[data-test-heatmap]').first().locator('thead th[data-test-column]').allTextContents();
  assert.deepEqual(columns.slice(0, 1), ['All']);
  assert.ok(columns.includes('Oakwood Primary Academy'), columns.join(', '));

  await page.locator('[data-test-insight-report]').click();
  await page.locator('[data-test-report]').waitFor();
  await checkAccessibility(page, 'the governors’ report');
  assert.match(await page.locator('h1').textContent(), /Leadership insight: the whole trust/);
  assert.ok(await page.locator('figure.report-chart svg').count() >= 16, 'a chart per subdomain');
  const pdf = await downloaded(page, page.locator('[data-test-download]', { hasText: 'PDF' }));
  assert.equal(pdf.name, 'leadership-insight.pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const csv = await downloaded(page, page.locator('[data-test-download]', { hasText: 'CSV' }));
  assert.match(csv.bytes.toString(), /^Levels\nCode,Component,People,Not yet,/);

  await page.goto(`${BASE}/profile`);
  await page.locator('[data-test-profile-report]').click();
  await page.locator('[data-test-report]').waitFor();
  await checkAccessibility(page, 'my profile report');
  const mine = await downloaded(page, page.locator('[data-test-download]'));
  assert.equal(mine.name, 'leadership-profile.pdf');
  assert.equal(mine.bytes.subarray(0, 5).toString(), '%PDF-');
  await context.close();
});
