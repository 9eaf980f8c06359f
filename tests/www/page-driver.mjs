// What the page tests (English, tests/www/page.test.mjs; Japanese, page-ja.test.mjs) do to the page alike: open it
// with every console error, page error, failed or off-origin request recorded, load a sample, submit a form.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../browser/harness.mjs';

export const SAMPLES = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'www', 'samples', 'index.json'), 'utf8')).samples;

/**
 * A new page of `context` on the served page, ready (#boot data-ready), its problems pushed to `problems`
 * ({ console, pageErrors, failed, offOrigin? }: offOrigin only when the caller has that list).
 */
export async function openPage(context, server, problems, { width = 1100, height = 800, colorScheme = 'light' } = {}) {
  const p = await context.newPage();
  await p.setViewportSize({ width, height });
  await p.emulateMedia({ colorScheme });
  p.on('console', (m) => m.type() === 'error' && problems.console.push(m.text()));
  p.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  p.on('requestfailed', (r) => problems.failed.push(`${r.url()}: ${r.failure()?.errorText} (${r.method()}, page ${width}x${height} ${colorScheme})`));
  p.on('response', (r) => r.status() >= 400 && problems.failed.push(`${r.url()}: HTTP ${r.status()}`));
  p.on('request', (r) => {
    const u = new URL(r.url());
    if (problems.offOrigin && !['blob:', 'data:'].includes(u.protocol) && u.origin !== server.origin) problems.offOrigin.push(r.url());
  });
  await p.goto(server.url);
  await p.waitForSelector('#boot[data-ready="true"]', { timeout: 60_000 });
  return p;
}

/** Clicks a sample's button and waits until its key card shows. */
export async function loadSample(page, name) {
  await page.click(`[data-sample="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`[data-sample="${n}"]`)?.getAttribute('aria-pressed') === 'true' && !document.getElementById('card').hidden, name);
}

/** Submits a form with its button and returns { outcome, exception, text } of the result box. */
export async function runForm(page, button, outId) {
  await page.evaluate((id) => document.getElementById(id).replaceChildren(), outId);
  await page.click(`#${button}`);
  const box = page.locator(`#${outId} .result`).first();
  await box.waitFor({ timeout: 60_000 });
  return { outcome: await box.getAttribute('data-outcome'), exception: await box.getAttribute('data-exception'), text: await box.innerText() };
}
