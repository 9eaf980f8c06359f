// What the page tests (English, tests/www/page.test.mjs; Japanese, page-ja.test.mjs) do to the page alike: open it
// with every console error, page error, failed or off-origin request recorded, load a sample, submit a form, and
// (Japanese) find any English left on the page.
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

/**
 * Runs in the page: the visible texts that still hold a Latin word which is not a KMS name, an identifier, a number,
 * a file name or one of the few names both languages write alike (or one of `alsoAllowed`). Skips code, commands,
 * inputs and lang="en".
 */
export function englishLeftInPage(alsoAllowed = []) {
  // KMS's operation and member names (Verify, Encrypt, Signature, ...) stay as KMS spells them, as the Japanese AWS docs keep them.
  const SAME_IN_BOTH = new Set(['kms-offline', 'npm', 'Verify', 'Sign', 'Encrypt', 'Decrypt', 'Encapsulate', 'Decapsulate', 'Message', 'Signature', 'Plaintext', 'true', 'info', 'e', 'Z', 'M', 'μ', 'Base64', 'base64',
    // Product names written alike in Japanese: the AWS Encryption SDK, its languages, the browser.
    'Encryption', 'Java', 'Python', '.NET', 'Rust', 'Go', 'Chromium']);
  const allowed = (word) =>
    SAME_IN_BOTH.has(word) ||
    alsoAllowed.includes(word) ||
    /^[A-Z0-9]{2,}(?:-[A-Z0-9]+)*$/.test(word) || // acronyms: KMS, AWS, PEM, IAM, ID, HKDF, ML-KEM, ML-DSA...
    /[_\d]/.test(word) || // KMS enum names and identifiers: ECDSA_SHA_256, SHA-256, ML-KEM-768, base64
    (/^[A-Z]\w*[A-Z]/.test(word) && /[a-z]/.test(word)) || // KMS names: GetPublicKey, KMSInvalidSignatureException, WebAssembly
    /^[A-Z]$/.test(word) || // a letter of a name: SP 800-56C
    /^[a-z]-[a-z]$/.test(word) || // a range of hex digits: a-f
    /\.[a-z]{2,4}$/.test(word) || // file names and extensions: rsa.der, hash-worker.js, README.md, .pem
    /^[0-9a-f]+$/.test(word); // hex
  const found = [];
  const check = (text, where) => {
    const words = text.match(/\.?[A-Za-z][A-Za-z0-9_.\-/]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
    const bad = words.filter((w) => !allowed(w) && !w.includes('/'));
    if (bad.length) found.push(`${where}: ${JSON.stringify(text.trim().slice(0, 160))} (${bad.join(' ')})`);
  };
  const skipped = (el) => el.closest('[lang="en"], code, pre, textarea, script, style, .mono, .secret, .kv dd, [data-field] , #lang-switch');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || skipped(el)) continue;
    const select = el.closest('select');
    const visible = select ? select.getClientRects().length > 0 : el.getClientRects().length > 0;
    if (visible) check(node.textContent, el.tagName.toLowerCase() + (el.id ? `#${el.id}` : ''));
  }
  // The data-field values are KMS's own (KeySpec values, ARN parts), but the card's "Loaded from" row is a sentence.
  for (const dd of document.querySelectorAll('#card-fields dd:not([data-field])')) if (dd.getClientRects().length) check(dd.textContent, 'card dd');
  for (const el of document.querySelectorAll('[aria-label], optgroup[label]')) {
    if (el.closest('[lang="en"]') || !el.getClientRects().length && el.tagName !== 'OPTGROUP') continue;
    check(el.getAttribute('aria-label') ?? el.getAttribute('label'), `${el.tagName.toLowerCase()}[label]`);
  }
  check(document.title, 'title');
  return found;
}
