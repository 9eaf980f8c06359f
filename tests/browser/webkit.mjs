// WebKit for the browser suite: Debian's WebKitGTK MiniBrowser, started by WebKitWebDriver (apt's
// webkit2gtk-driver) under a virtual display (xvfb-run: MiniBrowser has no headless mode), driven with plain
// W3C WebDriver HTTP calls (https://www.w3.org/TR/webdriver2/): new session, navigate, execute script,
// screenshot. WebDriver classic has no console or error events; the pages record their own (CAPTURE_SCRIPT in
// harness.mjs) and runPage reads that record.
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_RUN = '/usr/bin/xvfb-run';
const DRIVER_START_MS = 30_000;

/** A port nobody listens on now (the driver binds it a moment later). */
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One WebDriver command; resolves to its `value`, rejects with the driver's error and message. */
async function command(base, method, route, body) {
  const response = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let value;
  try {
    value = JSON.parse(text).value;
  } catch {
    throw new Error(`WebKitWebDriver ${method} ${route}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok) throw new Error(`WebKitWebDriver ${method} ${route}: ${value?.error}: ${value?.message}`);
  return value;
}

/**
 * Start WebKitWebDriver under xvfb-run and open a MiniBrowser session. Returns { version, navigate(url),
 * execute(script, ...args), screenshot(path), close() }. The driver, Xvfb and MiniBrowser share one process
 * group, which close() (or this process exiting) ends.
 */
export async function launchWebKit() {
  for (const [file, pkg] of [[WEBKIT_DRIVER, 'webkit2gtk-driver'], [MINIBROWSER, 'libwebkit2gtk-4.1-0'], [XVFB_RUN, 'xvfb']]) {
    if (!fs.existsSync(file)) throw new Error(`${file} not found: run scripts/setup.sh (apt-get install ${pkg})`);
  }
  const port = await freePort();
  const driver = spawn(XVFB_RUN, ['-a', WEBKIT_DRIVER, `--port=${port}`], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  driver.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  let exited = null;
  driver.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const killGroup = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    killGroup();
    process.removeListener('exit', killGroup);
    if (!exited) await new Promise((resolve) => driver.once('exit', resolve));
  };
  try {
    const deadline = Date.now() + DRIVER_START_MS;
    for (;;) {
      if (exited) throw new Error(`WebKitWebDriver ${exited}: ${stderr}`);
      try {
        if ((await command(base, 'GET', '/status')).ready) break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer on port ${port} within ${DRIVER_START_MS} ms: ${e.message}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const session = await command(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
        },
      },
    });
    const route = `/session/${session.sessionId}`;
    return {
      version: `MiniBrowser (WebKitGTK ${session.capabilities.browserVersion})`,
      navigate: (url) => command(base, 'POST', `${route}/url`, { url }),
      /** Runs `script` (a function body; `arguments` are args) in the page and returns its JSON-able result. */
      execute: (script, ...args) => command(base, 'POST', `${route}/execute/sync`, { script, args }),
      async screenshot(file) {
        fs.writeFileSync(file, Buffer.from(await command(base, 'GET', `${route}/screenshot`), 'base64'));
      },
      async close() {
        await command(base, 'DELETE', route).catch(() => {});
        await stop();
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
