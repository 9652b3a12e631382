// Takes full-page screenshots of leadkit pages for a person to look at:
//   node e2e/screenshot.mjs BASE OUT_DIR [EMAIL PASSWORD] PATH...
import { chromium } from 'playwright-core';

const [base, out, ...rest] = process.argv.slice(2);
let email = null, password = null, paths = rest;
if (rest.length >= 2 && rest[0].includes('@')) { [email, password, ...paths] = rest; }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: Number(process.env.WIDTH || 1280), height: 900 } })).newPage();
if (email) {
  await page.goto(`${base}/sign-in`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}
for (const path of paths) {
  await page.goto(`${base}${path}`);
  const name = path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home';
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}
await browser.close();
