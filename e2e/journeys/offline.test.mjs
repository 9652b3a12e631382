// Offline: a leader opens leadkit once with a connection (the service worker
// keeps the app shell and their reflection pages), loses the connection,
// reflects on three components and adds an evidence note with a photo; all of
// it waits on the device and is saved when the connection returns. Then the
// conflict: the same component changed on another device meanwhile is shown
// beside theirs, and they choose. Signing out leaves nothing on the device.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
after(async () => {
  await browser.close();
  console.log(visited.map((line) => `  axe ${line}`).join('\n'));
});

// Leaders of the demo trust whom no other journey changes.
const LEADER = 'ben.murphy@riverside.example';
const OTHER_LEADER = 'chloe.davies@riverside.example';

async function keptPages(page) {
  return page.evaluate(async () => {
    const cache = await caches.open('leadkit-pages');
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
}

async function untilKept(page, path) {
  for (let i = 0; i < 100; i += 1) {
    if ((await keptPages(page)).includes(path)) { return; }
    await page.waitForTimeout(100);
  }
  assert.fail(`${path} was never kept for offline use: ${(await keptPages(page)).join(', ')}`);
}

async function choose(page, slug, level) {
  await page.locator(`[data-component="${slug}"] input[type=radio][value="${level}"]`).check();
}

test('with no connection a leader reflects on three components and adds evidence with a photo; all of it is saved when the connection returns', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await signIn(page, LEADER, { axe: false });
  await page.goto(`${BASE}/reflect/leadership-toolkit/1a`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The worker keeps the other subdomains of the framework, and the evidence page once opened.
  await untilKept(page, '/reflect/leadership-toolkit/2b');
  await page.goto(`${BASE}/evidence`);
  await untilKept(page, '/evidence');
  const manifest = await (await page.request.get(`${BASE}/manifest.webmanifest`)).json();
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'), 'an icon to install with');

  await context.setOffline(true);
  const reflect = await page.goto(`${BASE}/reflect/leadership-toolkit/2b`);
  assert.ok(reflect.fromServiceWorker(), 'the reflection page came from this device');
  await page.locator('[data-outbox-status]').filter({ hasText: /You are offline/ }).waitFor();
  const slugs = await page.locator('[data-component]').evaluateAll((sets) => sets.slice(0, 3).map((s) => s.getAttribute('data-component')));
  assert.equal(slugs.length, 3);
  for (const slug of slugs) {
    await choose(page, slug, 'highest');
    await page.locator(`[data-component="${slug}"] [data-status]`).filter({ hasText: /Waiting to be sent/ }).waitFor();
  }
  await page.locator(`#n-${slugs[0]}`).fill('Written on the train, with no signal.');
  await page.locator('[data-outbox-status]').filter({ hasText: /3 changes are kept on this device, waiting to be sent/ }).waitFor();
  await checkAccessibility(page, 'a reflection page, offline');

  await page.goto(`${BASE}/evidence`);
  await page.locator('#ev-title').fill('Assembly on safer internet day');
  await page.locator('#ev-note').fill('Photo of the display the Year 6 pupils made.');
  // A photo as a phone takes it: 3,000 by 2,000 pixels. The page makes it smaller before keeping it.
  const original = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 3000; canvas.height = 2000;
    const g = canvas.getContext('2d');
    // Like a photo: smooth colour with grain, which PNG keeps at full size.
    const pixels = g.createImageData(3000, 2000);
    let seed = 7;
    for (let i = 0; i < pixels.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const x = (i / 4) % 3000; const grain = seed % 24;
      pixels.data[i] = (x / 12 + grain) & 255; pixels.data[i + 1] = (i / 48000 + grain) & 255; pixels.data[i + 2] = 120 + grain; pixels.data[i + 3] = 255;
    }
    g.putImageData(pixels, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));

    const input = document.querySelector('#ev-file');
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'display.png', { type: 'image/png' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return blob.size;
  });
  await page.locator('[data-test-smaller]').filter({ hasText: /Made smaller on this device/ }).waitFor();
  assert.match(await page.locator('[data-test-smaller]').textContent(), /2048 × 1365/);
  await page.locator('form[data-test-add-evidence] button[type=submit]').click();
  await page.locator('[data-kept-notice]').filter({ hasText: /waiting to be sent/ }).waitFor();
  await page.locator('[data-test-waiting="Assembly on safer internet day"]').waitFor();
  assert.equal(await page.locator('#ev-note').inputValue(), '', 'the form is ready for the next one');
  await page.locator('[data-outbox-status]').filter({ hasText: /4 changes are kept on this device/ }).waitFor();
  await checkAccessibility(page, 'the evidence page, offline, with something waiting');

  // The connection returns: everything is sent, through the same routes as online.
  await context.setOffline(false);
  await page.locator('[data-outbox-status]').filter({ hasText: /Sent: everything you did offline is saved/ }).waitFor({ timeout: 20000 });
  await page.reload();
  const saved = page.locator('[data-test-evidence="Assembly on safer internet day"]');
  await saved.waitFor();
  assert.match(await saved.textContent(), /Photo of the display the Year 6 pupils made/);
  const file = await page.request.get(new URL(await saved.locator('[data-test-file]').getAttribute('href'), BASE).href);
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /image\/jpeg/);
  const sent = (await file.body()).length;
  assert.ok(sent < original / 2, `the photo was sent smaller: ${sent} bytes of ${original}`);

  await page.goto(`${BASE}/reflect/leadership-toolkit/2b`);
  for (const slug of slugs) {
    assert.ok(await page.locator(`[data-component="${slug}"] input[value="highest"]`).isChecked(), `${slug} saved`);
  }
  assert.equal(await page.locator(`#n-${slugs[0]}`).inputValue(), 'Written on the train, with no signal.');

  // Signing out clears what this device kept: drafts, pages and waiting work.
  await page.locator('[data-test-sign-out]').click();
  await page.waitForURL(`${BASE}/`);
  assert.deepEqual(await keptPages(page), [], 'no page of theirs is left on the device');
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('leadkit-')));
  assert.deepEqual(left, []);
  await context.close();
});

test('a component changed on another device meanwhile is shown beside the offline change, and the leader chooses', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const laptop = await browser.newContext();
  const onPhone = await phone.newPage();
  const onLaptop = await laptop.newPage();
  await signIn(onPhone, OTHER_LEADER, { axe: false });
  await signIn(onLaptop, OTHER_LEADER, { axe: false });
  await onPhone.goto(`${BASE}/reflect/leadership-toolkit/3a`);
  await onPhone.evaluate(() => navigator.serviceWorker.ready);
  const [first, second] = await onPhone.locator('[data-component]').evaluateAll((sets) => sets.slice(0, 2).map((s) => s.getAttribute('data-component')));

  await phone.setOffline(true);
  await choose(onPhone, first, 'some');
  await onPhone.locator(`#n-${first}`).fill('My view from the phone.');
  await choose(onPhone, second, 'some');
  await onPhone.locator(`[data-component="${second}"] [data-status]`).filter({ hasText: /Waiting to be sent/ }).waitFor();

  // Meanwhile, on the laptop, both components are saved differently (to a
  // level neither device showed before).
  await onLaptop.goto(`${BASE}/reflect/leadership-toolkit/3a`);
  const laptopLevel = {};
  for (const slug of [first, second]) {
    const already = await onLaptop.locator(`[data-component="${slug}"] input[value="highest"]`).isChecked();
    laptopLevel[slug] = already ? 'high' : 'highest';
    await choose(onLaptop, slug, laptopLevel[slug]);
    await onLaptop.locator(`[data-component="${slug}"] [data-status]`).filter({ hasText: /^Saved$/ }).waitFor();
  }
  const LABEL = { high: 'High impact', highest: 'Highest impact' };

  await phone.setOffline(false);
  const conflict = onPhone.locator(`[data-test-conflict="${first}"]`);
  await conflict.waitFor({ timeout: 20000 });
  assert.match(await conflict.textContent(), new RegExp(`Saved elsewhere\\s*${LABEL[laptopLevel[first]]}`));
  assert.match(await conflict.textContent(), /Yours, on this device\s*Some impact/);
  assert.match(await conflict.textContent(), /My view from the phone/);
  await onPhone.locator(`[data-test-conflict="${second}"]`).waitFor();
  await checkAccessibility(onPhone, 'a reflection page with a conflict');
  // Nothing was overwritten while the person had not chosen.
  await onLaptop.reload();
  assert.ok(await onLaptop.locator(`[data-component="${first}"] input[value="${laptopLevel[first]}"]`).isChecked());

  await conflict.locator('[data-test-keep-mine]').click();
  await onPhone.locator(`[data-component="${first}"] [data-status]`).filter({ hasText: /^Saved$/ }).waitFor();
  await onPhone.locator(`[data-test-conflict="${second}"] [data-test-keep-theirs]`).click();
  assert.ok(await onPhone.locator(`[data-component="${second}"] input[value="${laptopLevel[second]}"]`).isChecked());
  assert.equal(await onPhone.locator('[data-test-conflict]').count(), 0);

  await onLaptop.reload();
  assert.ok(await onLaptop.locator(`[data-component="${first}"] input[value="some"]`).isChecked(), 'mine was kept');
  assert.equal(await onLaptop.locator(`#n-${first}`).inputValue(), 'My view from the phone.');
  assert.ok(await onLaptop.locator(`[data-component="${second}"] input[value="${laptopLevel[second]}"]`).isChecked(), 'theirs was kept');
  await onPhone.reload();
  assert.ok(await onPhone.locator(`[data-component="${second}"] input[value="${laptopLevel[second]}"]`).isChecked());
  assert.equal(await onPhone.locator('[data-test-conflict]').count(), 0, 'the choice is settled');
  await phone.close();
  await laptop.close();
});
