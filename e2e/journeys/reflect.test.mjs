// Journeys 5 and 6: sign in, reflect on three components (one with a note),
// reload and see them kept, then see the profile. axe-core runs on every page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

async function choose(page, component, level) {
  const fieldset = page.locator(`[data-test-component="${component}"]`);
  await fieldset.locator(`input[type=radio][value="${level}"]`).check();
  await assertSaved(fieldset);
}

async function assertSaved(fieldset, timeout = 5000) {
  await fieldset.locator('[data-status]').filter({ hasText: /^Saved$/ }).waitFor({ timeout });
}

test('a leader reflects on three components with a note, reloads, and sees them in the profile', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/`);
  await checkAccessibility(page, 'home (signed out)');
  await signIn(page, 'quinn.green@oakwood.example');
  await checkAccessibility(page, 'home (signed in)');

  await page.goto(`${BASE}/reflect/leadership-toolkit/2b`);
  await checkAccessibility(page, 'reflect 2b');
  await choose(page, '2b i', 'highest');
  await choose(page, '2b ii', 'not_yet');
  await choose(page, '2b iii', 'high');
  const note = page.locator('textarea[name="n.2b-iii"]');
  await note.fill('Spent the spring term in every department meeting; staff say they feel heard.');
  await note.blur();
  await assertSaved(page.locator('[data-test-component="2b iii"]'));

  await page.reload();
  await assert.doesNotReject(page.locator('[data-test-component="2b i"] input[value="highest"]:checked').waitFor());
  assert.equal(await page.locator('[data-test-component="2b ii"] input[value="not_yet"]').isChecked(), true);
  assert.equal(await page.locator('[data-test-component="2b iii"] input[value="high"]').isChecked(), true);
  assert.equal(await note.inputValue(), 'Spent the spring term in every department meeting; staff say they feel heard.');

  await page.getByRole('link', { name: 'My profile' }).click();
  await page.waitForURL(`${BASE}/profile`);
  await checkAccessibility(page, 'profile');
  assert.equal(await page.locator('[data-test-row="2b i"] [data-test-level]').innerText(), 'Highest impact');
  assert.equal(await page.locator('[data-test-row="2b ii"] [data-test-level]').innerText(), 'Not yet');
  assert.equal(await page.locator('[data-test-row="2b iii"] [data-test-note]').innerText(),
    'Spent the spring term in every department meeting; staff say they feel heard.');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'the print stylesheet hides navigation');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: 'NPQ Senior Leadership' }).last().click();
  await page.waitForURL(`${BASE}/profile/leadership-toolkit/through/npq-senior-leadership`);
  await checkAccessibility(page, 'profile through the NPQSL');
  await page.close();
});

test('typed text survives a lost connection and is saved when it returns', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'femi.evans@riverside.example');
  await page.goto(`${BASE}/reflect/leadership-toolkit/3a`);
  await context.setOffline(true);
  const note = page.locator('textarea[name="n.3a-i"]');
  await note.fill('Written on the train with no signal');
  await note.blur();
  await page.locator('[data-test-component="3a i"] [data-status]').filter({ hasText: 'kept on this device' }).waitFor();
  await context.setOffline(false);
  // Back online, the kept change is sent without the page being reloaded.
  await assertSaved(page.locator('[data-test-component="3a i"]'), 15000);
  const saved = await page.evaluate(() =>
    fetch('/api/me/reflections/leadership-toolkit').then((response) => response.json()));
  assert.equal(saved.reflections.find((r) => r.item === '3a i').note, 'Written on the train with no signal');
  await context.close();
});

test('without JavaScript the reflection form still saves', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'zara.wright@hilltop.example', { axe: false });
  await page.goto(`${BASE}/reflect/leadership-toolkit/4c`);
  await page.locator('[data-test-component="4c ii"] input[value="some"]').check();
  await page.locator('textarea[name="n.4c-ii"]').fill('Saved with a plain form post');
  await page.locator('[data-test-save]').click();
  await page.waitForURL(`${BASE}/reflect/leadership-toolkit/4c?saved=1`);
  assert.equal(await page.locator('[data-test-notice]').innerText(), 'Saved.');
  assert.equal(await page.locator('[data-test-component="4c ii"] input[value="some"]').isChecked(), true);
  assert.equal(await page.locator('textarea[name="n.4c-ii"]').inputValue(), 'Saved with a plain form post');
  await page.goto(`${BASE}/profile/leadership-toolkit/through/npq-senior-leadership`);
  assert.match(await page.locator('[data-test-derived]').innerText(), /Derived, not a reflection on this framework/);
  await context.close();
});

test('the frameworks pages are accessible and usable from the keyboard', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/frameworks/leadership-toolkit`);
  await checkAccessibility(page, 'smart card');
  await page.goto(`${BASE}/frameworks/leadership-toolkit/1d`);
  await checkAccessibility(page, 'subdomain 1d');
  assert.equal(await page.locator('[data-test-missing]').count(), 6);
  await page.goto(`${BASE}/frameworks`);
  await checkAccessibility(page, 'frameworks');
  for (const [path, name] of [
    ['/frameworks/national-standards-school-leadership', 'NSSL overview'],
    ['/frameworks/npq-senior-leadership', 'NPQSL overview'],
    ['/frameworks/npq-senior-leadership/8', 'NPQSL section 8'],
    ['/frameworks/leadership-standards-wales/1', 'Wales key area 1'],
    ['/frameworks/leadership-toolkit/3b-iv', 'component 3b iv with alignments'],
  ]) {
    await page.goto(`${BASE}${path}`);
    await checkAccessibility(page, name);
  }
  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.close();
});
