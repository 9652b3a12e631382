// Shared set-up for the browser journeys: Debian's chromium driven by
// playwright-core, and an axe-core check that fails on serious or critical issues.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.LEADKIT_E2E_URL;
export const PASSWORD = process.env.LEADKIT_E2E_PASSWORD;
if (!BASE || !PASSWORD) {
  throw new Error('run through e2e/run.sh, which starts leadkit and sets LEADKIT_E2E_URL and LEADKIT_E2E_PASSWORD');
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Every step is bounded: a journey that cannot finish fails within seconds.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(10000);
    return context;
  };
  return browser;
}

export const visited = [];

// Runs axe-core on the page (evaluated through the DevTools protocol, so the
// page's Content-Security-Policy stays on) and fails on serious or critical issues.
export async function checkAccessibility(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  visited.push(`${label}: ${result.violations.length} violations (${bad.length} serious or critical), ${result.passes.length} rules passed`);
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    [],
    `accessibility problems on ${label}`,
  );
}

// `axe: false` where the page runs without JavaScript (axe itself needs it).
export async function signIn(page, email, { axe = true } = {}) {
  await page.goto(`${BASE}/sign-in`);
  if (axe) { await checkAccessibility(page, 'sign-in'); }
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('[data-test-sign-in]').click();
  await page.waitForURL(`${BASE}/`);
}
