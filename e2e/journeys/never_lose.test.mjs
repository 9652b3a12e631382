// Never lose a word, in a real browser, with JavaScript and without: a refused
// form comes back with every field as typed and the person still signed in; a
// form sent after the session ended in another window comes back into its form
// after signing in again; long text keeps a draft in the browser until the
// server has it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

const LEADER = 'quinn.green@oakwood.example';
const COACH = 'ben.khan@oakwood.example';
const ADMIN = 'admin@demo-trust.example';

// The leader's first goal, started from the profile when they have none yet.
async function firstGoal(page) {
  await page.goto(`${BASE}/goals`);
  if (await page.locator('[data-test-goal] a').count() === 0) {
    await page.goto(`${BASE}/profile`);
    await page.locator('[data-test-row="1a i"] [data-test-start-goal]').click();
    await page.getByLabel('Goal', { exact: true }).fill('Lead our safeguarding culture');
    await page.getByRole('button', { name: 'Start the goal' }).click();
    await page.waitForURL(/\/goals\/\d+$/);
    return page.url();
  }
  await page.locator('[data-test-goal] a').first().click();
  await page.waitForURL(/\/goals\/\d+$/);
  return page.url();
}

async function stillSignedIn(page) {
  assert.equal(await page.locator('[data-test-sign-out]').count(), 1, 'the signed-in header stays');
}

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`refused forms come back as typed, ${how}`, async () => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page, LEADER, { axe: false });

    // A check-in whose progress is only spaces: refused beside the field.
    await firstGoal(page);
    const checkIn = page.locator('[data-test-add-check-in]');
    await checkIn.getByLabel('Progress').fill('   ');
    await checkIn.getByLabel('Amber').check();
    await checkIn.getByLabel('Next steps').fill('Ask Sam for the rota, then plan the INSET');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      checkIn.getByRole('button').click(),
    ]);
    assert.equal(response.status(), 422);
    await page.locator('[data-test-errors]').waitFor();
    assert.match(await page.locator('[data-test-field-error="progress"]').textContent(), /Write a sentence about progress/);
    assert.equal(await checkIn.getByLabel('Next steps').inputValue(), 'Ask Sam for the rota, then plan the INSET');
    assert.ok(await checkIn.getByLabel('Amber').isChecked());
    await stillSignedIn(page);
    if (javaScriptEnabled) { await checkAccessibility(page, 'a refused check-in'); }

    // Sharing with an address nobody has: the address stays, said beside it.
    await page.goto(`${BASE}/goals`);
    const share = page.locator('form.share-colleague').first();
    await share.getByRole('textbox').fill('nobody@nowhere.example');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      share.getByRole('button', { name: 'Share' }).click(),
    ]);
    await page.locator('[data-test-errors]').waitFor();
    assert.match(await page.locator('[data-test-field-error="email"]').textContent(), /No one in your trust has the email address nobody@nowhere\.example/);
    assert.equal(await page.locator('form.share-colleague input[name=email][aria-invalid=true]').inputValue(), 'nobody@nowhere.example');
    await stillSignedIn(page);

    // Evidence with a file of a kind that is refused: every other field stays,
    // and the message says which kinds are allowed.
    await page.goto(`${BASE}/evidence`);
    await page.locator('#ev-title').fill('Assembly slides');
    await page.locator('#ev-note').fill('Year 9, online safety');
    await page.locator('#ev-file').setInputFiles({ name: 'slides.html', mimeType: 'text/html', buffer: Buffer.from('<!doctype html><p>hi</p>') });
    // The subdomain folds until opened, as a person would open it.
    const toolkit = page.locator('[data-test-tag-framework="leadership-toolkit"]');
    await toolkit.locator('details.tag-group summary').first().click();
    await toolkit.locator('input[value="leadership-toolkit|1|1a i"]').check();
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add the evidence' }).click(),
    ]);
    await page.locator('[data-test-errors]').waitFor();
    assert.match(await page.locator('#ev-file-error').textContent(), /Accepted: PDF/);
    assert.equal(await page.locator('#ev-title').inputValue(), 'Assembly slides');
    assert.equal(await page.locator('#ev-note').inputValue(), 'Year 9, online safety');
    assert.ok(await page.locator('input[value="leadership-toolkit|1|1a i"]').isChecked());
    await stillSignedIn(page);
    if (javaScriptEnabled) { await checkAccessibility(page, 'refused evidence'); }
    await context.close();

    // An administrator opening a cycle with a name already used.
    const adminContext = await browser.newContext({ javaScriptEnabled });
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN, { axe: false });
    await admin.goto(`${BASE}/admin/cycles`);
    const taken = await admin.locator('[data-test-cycle]').first().getAttribute('data-test-cycle');
    const form = admin.locator('[data-test-open-cycle]');
    await form.getByLabel('Name').fill(taken);
    await form.getByLabel('First day').fill('2030-09-01');
    await form.getByLabel('Last day').fill('2031-07-31');
    await Promise.all([
      admin.waitForResponse((r) => r.request().method() === 'POST'),
      form.getByRole('button', { name: 'Open the cycle' }).click(),
    ]);
    await admin.locator('[data-test-errors]').waitFor();
    assert.match(await admin.locator('[data-test-field-error="name"]').textContent(), /already has a cycle called/);
    assert.equal(await form.getByLabel('First day').inputValue(), '2030-09-01');
    assert.equal(await form.getByLabel('Last day').inputValue(), '2031-07-31');
    await stillSignedIn(admin);
    if (javaScriptEnabled) { await checkAccessibility(admin, 'a refused new cycle'); }

    // A school that is already there.
    await admin.goto(`${BASE}/admin/schools`);
    const existing = (await admin.locator('[data-test-school]').first().getAttribute('data-test-school'));
    await admin.getByLabel('School name').fill(existing);
    await Promise.all([
      admin.waitForResponse((r) => r.request().method() === 'POST'),
      admin.locator('[data-test-add-school]').click(),
    ]);
    await admin.locator('[data-test-errors]').waitFor();
    assert.match(await admin.locator('[data-test-field-error="name"]').textContent(), /already has a school called/);
    assert.equal(await admin.getByLabel('School name').inputValue(), existing);
    await stillSignedIn(admin);

    // Single sign-on with an issuer that is not https: the fields stay, the
    // secret is never shown back.
    await admin.goto(`${BASE}/admin/sign-on`);
    await admin.getByLabel('Issuer').fill('ftp://login.example');
    await admin.getByLabel('Client id').fill('leadkit-demo');
    await admin.getByLabel(/Client secret/).fill('s3cret-value');
    await Promise.all([
      admin.waitForResponse((r) => r.request().method() === 'POST'),
      admin.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    await admin.locator('[data-test-errors]').waitFor();
    assert.match(await admin.locator('[data-test-field-error="issuer"]').textContent(), /must be an https:\/\/ address/);
    assert.equal(await admin.getByLabel('Issuer').inputValue(), 'ftp://login.example');
    assert.equal(await admin.getByLabel('Client id').inputValue(), 'leadkit-demo');
    assert.equal(await admin.getByLabel(/Client secret/).inputValue(), '');
    await stillSignedIn(admin);
    await adminContext.close();
  });

  test(`a coach's note sent after signing out elsewhere comes back after signing in, ${how}`, async () => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page, COACH, { axe: false });
    await page.goto(`${BASE}/people`);
    await page.locator('[data-test-coaching]').first().click();
    await page.waitForURL(/\/coaching$/);
    const coachingUrl = page.url();
    const words = `We agreed three next steps for the spring term (${how})`;
    await page.getByLabel('New note').fill(words);

    // Another window signs out while the note is being typed.
    const other = await browser.newContext({ storageState: await context.storageState() });
    const otherPage = await other.newPage();
    await otherPage.goto(`${BASE}/profile`);
    await otherPage.locator('[data-test-sign-out]').click();
    await otherPage.waitForURL(`${BASE}/`);
    await other.close();

    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.locator('[data-test-sign-in-form]').waitFor();
    assert.match(await page.locator('[data-test-resume]').textContent(), /We agreed three next steps/);
    await page.getByLabel('Email address').fill(COACH);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('[data-test-sign-in]').click();
    await page.waitForURL(/kept=\d+/);
    assert.ok(page.url().startsWith(coachingUrl), page.url());
    await page.locator('[data-test-kept]').waitFor();
    assert.equal(await page.getByLabel('New note').inputValue(), words);
    if (javaScriptEnabled) { await checkAccessibility(page, 'a kept coaching note'); }
    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.waitForURL(`${coachingUrl}#notes`);
    assert.match(await page.locator('[data-test-note]').last().textContent(), /We agreed three next steps/);
    await context.close();
  });
}

test('long text keeps a draft in the browser until the server has it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, LEADER, { axe: false });
  const goalUrl = await firstGoal(page);
  const checkIn = page.locator('[data-test-add-check-in]');
  await checkIn.getByLabel('Progress').pressSequentially('Half a paragraph before the bell');
  await page.locator('[data-test-draft-note]').first().waitFor();
  // The tab closes; the page opened again brings the words back.
  await page.goto(`${BASE}/profile`);
  await page.goto(goalUrl);
  assert.equal(await checkIn.getByLabel('Progress').inputValue(), 'Half a paragraph before the bell');
  assert.match(await page.locator('[data-test-draft-note]').first().textContent(), /Brought back from a draft/);
  await checkIn.getByLabel('Green').check();
  await checkIn.getByRole('button').click();
  await page.waitForURL(/#check-ins$/);
  const left = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('leadkit-draft:') && k.includes('/check-ins|')));
  assert.deepEqual(left, [], 'the draft is cleared once saved');
  // Signing out leaves no draft on the device.
  await checkIn.getByLabel('Progress').pressSequentially('Something private');
  await page.locator('[data-test-draft-note]').first().waitFor();
  await page.locator('[data-test-sign-out]').click();
  await page.waitForURL(`${BASE}/`);
  const after = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('leadkit-draft:')));
  assert.deepEqual(after, []);
  await context.close();
});
