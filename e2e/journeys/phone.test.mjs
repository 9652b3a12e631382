// Phone first: every page a leader, a coach, a school lead, a trust lead and an
// administrator can reach in the demo trust, at 320 and 390 CSS pixels wide.
// Each person signs in and follows same-site links from home (one address of
// each shape: one framework item, not all 256); every page must fit the
// viewport with no sideways scrolling (WCAG 1.4.10), every touch target must be
// at least 24 by 24 px or spaced as WCAG 2.5.8 allows, text in form fields
// must be at least 16 px, and axe-core must find nothing serious.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, checkAccessibility, visited } from './browser.mjs';

const browser = await launch();
const measured = [];
after(async () => {
  await browser.close();
  console.log(measured.map((line) => `  ${line}`).join('\n'));
  console.log(`  axe ran on ${visited.length} page views`);
});

const PEOPLE = [
  ['leader', 'dev.thomas@oakwood.example'],
  ['coach', 'ben.khan@oakwood.example'],
  ['school lead', 'amara.okafor@oakwood.example'],
  ['trust lead', 'ceo@demo-trust.example'],
  ['administrator', 'admin@demo-trust.example'],
];
const WIDTHS = [320, 390];
const MOST_PAGES = 120;

// Files, feeds and actions that are not pages to look at.
const SKIP = /^\/(assets|api|case|sign-out|unsubscribe)\b|\.(csv|pdf|ics|json|xlsx|zip|txt)$|\/(download|export|file|report\.pdf|calendar\.ics)(\/|$)/;

// One address per shape: segments holding a digit become '*', query values go.
// The Toolkit (with descriptors) keeps its own shape; the other frameworks share one.
const OTHER_FRAMEWORKS = new Set(['leadership-standards-wales', 'national-standards-school-leadership', 'npq-senior-leadership']);
function shape(url) {
  const path = url.pathname.split('/').map((s) => (/\d/.test(s) || OTHER_FRAMEWORKS.has(s) ? '*' : s)).join('/');
  const keys = [...url.searchParams.keys()].sort().join('&');
  return keys ? `${path}?${keys}` : path;
}

// Measured in the page: sideways overflow (and what sticks out), undersized
// targets (with WCAG 2.5.8's inline and spacing exceptions) and small field text.
function measure() {
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${id}${cls} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && !el.closest('[hidden], details:not([open]) > :not(summary)');
  };
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const wide = [];
  if (overflow > 0) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && visible(el) && !inScrollBox(el)) wide.push(`${describe(el)} right=${Math.round(r.right)}`);
    }
  }
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(visible);
  const rectOf = (el) => {
    // A checkbox or radio's target includes the label that wraps it.
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) return el.closest('label').getBoundingClientRect();
    return el.getBoundingClientRect();
  };
  const rects = targets.map(rectOf);
  const inline = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    return block && block.textContent.trim().length > el.textContent.trim().length + 1;
  };
  const small = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if ((r.width >= 23.5 && r.height >= 23.5) || inline(el)) return;
    // Spacing exception: a 24 px circle on its centre meets no other target.
    const cx = r.left + r.width / 2; const cy = r.top + r.height / 2;
    const clash = rects.some((o, j) => {
      if (j === i || targets[j].contains(el) || el.contains(targets[j])) return false;
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (clash) small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
  });
  const tinyText = [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')]
    .filter(visible)
    .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 16)
    .map((el) => `${describe(el)} ${getComputedStyle(el).fontSize}`);
  return { overflow, wide: wide.slice(0, 5), small: small.slice(0, 5), tinyText: tinyText.slice(0, 5), height: document.documentElement.scrollHeight };
}

for (const [role, email] of PEOPLE) {
  test(`every page ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} can reach fits a phone`, async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await signIn(page, email, { axe: false });
    const seen = new Set(['/']);
    const shapes = new Set(['/']);
    const queue = ['/'];
    const problems = [];
    let pages = 0;
    while (queue.length) {
      const path = queue.shift();
      pages += 1;
      assert.ok(pages <= MOST_PAGES, `${role}: more than ${MOST_PAGES} pages`);
      for (const width of WIDTHS) {
        const started = Date.now();
        await page.setViewportSize({ width, height: 640 });
        const response = await page.goto(`${BASE}${path}`);
        if (!(response.headers()['content-type'] || '').startsWith('text/html')) break;
        const m = await page.evaluate(measure);
        const where = `${role} ${path} at ${width}px`;
        if (m.overflow > 0) problems.push(`${where}: ${m.overflow}px wider than the screen: ${m.wide.join('; ')}`);
        if (m.small.length) problems.push(`${where}: targets under 24 px: ${m.small.join('; ')}`);
        if (m.tinyText.length) problems.push(`${where}: field text under 16 px: ${m.tinyText.join('; ')}`);
        try {
          await checkAccessibility(page, where);
        } catch (error) {
          problems.push(error.message.split('\n').slice(0, 6).join(' '));
        }
        if (width === WIDTHS[0]) measured.push(`${where}: ${m.height}px tall, ${Date.now() - started} ms`);
      }
      if (!(await page.evaluate(() => document.contentType)).startsWith('text/html')) continue;
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
      for (const link of links) {
        const url = new URL(link);
        if (url.origin !== new URL(BASE).origin || SKIP.test(url.pathname)) continue;
        const address = url.pathname + url.search;
        if (seen.has(address)) continue;
        seen.add(address);
        const key = shape(url);
        if (shapes.has(key)) continue;
        shapes.add(key);
        queue.push(address);
      }
    }
    measured.push(`${role}: ${pages} pages of ${shapes.size} shapes, each at ${WIDTHS.join(' and ')} px`);
    assert.ok(pages >= 8, `${role} reached only ${pages} pages`);
    assert.deepEqual(problems, [], `${problems.length} problems for the ${role}`);
    await context.close();
  });
}
