// Loads the Scalar reference page in Debian's headless Chromium and prints what a reader sees, as JSON:
// the rendered text and whether the page shows each of the given strings, after opening each tag's section in the
// sidebar as a reader would (Scalar renders sections lazily), every request the page tried to send anywhere
// but the page's own host (refused, and listed under "outside"), the page's Content-Security-Policy header and
// whatever that policy blocked ("blocked"). Usage: TAGS=A,B node scalar-page.mjs URL SCREENSHOT TEXT...
import { chromium } from 'playwright-core';

const [url, screenshot, ...expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // The machine has no network beyond loopback: keep Chromium from reaching out at all.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const failures = [];
  const outside = [];
  const blocked = [];
  page.on('console', message => /Content Security Policy/i.test(message.text()) && blocked.push(message.text()));
  const own = new URL(url).host;
  await page.route(() => true, route => {
    const target = new URL(route.request().url());
    if (['data:', 'blob:'].includes(target.protocol) || target.host === own) {
      return route.continue();
    }
    outside.push(route.request().url());
    return route.abort();
  });
  page.on('requestfailed', request => outside.includes(request.url()) || failures.push(request.url()));
  const response = await page.goto(url, { waitUntil: 'networkidle', timeout: 60_000 });
  const policy = response.headers()['content-security-policy'] ?? null;
  for (const tag of (process.env.TAGS ?? '').split(',').filter(Boolean)) {
    await page.getByText(tag, { exact: true }).first().click();
  }
  // Scalar renders client-side from the OpenAPI document; wait until the operations are on the page.
  await page.waitForFunction(
    needles => needles.every(n => document.body.innerText.includes(n)), expected, { timeout: 60_000 }).catch(() => {});
  const text = await page.evaluate(() => document.body.innerText);
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(JSON.stringify({ title: await page.title(), found: expected.filter(n => text.includes(n)), failures, outside, policy, blocked }));
} finally {
  await browser.close();
}
