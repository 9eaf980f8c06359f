// Serves the kms-offline page on 127.0.0.1 with Node only (no dependencies):
//   /www/...          the page (www/; www/tools/ is not served)
//   /pkg/dist/...     the npm package's built files (the page imports /pkg/dist/web.js, which loads the .wasm)
//   /pkg/messages/... the package's sentences (pickLanguage, errorMessage in English and Japanese)
//   /pkg/package.json, /pkg/README.md
//   /README.md, /docs/*.md   the documentation the page links to
//   /                 redirects to /www/
// Nothing is fetched from anywhere else; the Content-Security-Policy says so too.
//
//   node www/tools/serve.mjs [--port 8137] [--host 127.0.0.1] [--pkg DIR]
// `bash scripts/serve.sh` builds the package first when needed, then runs this.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const WWW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.resolve(WWW, '..');

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.pem': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.b64': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A file under root for the URL path rest, or null (no traversal, no directories but index.html). */
function resolveUnder(root, rest) {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rest));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    return null;
  }
  if (st.isDirectory()) {
    const index = path.join(file, 'index.html');
    return fs.existsSync(index) ? index : null;
  }
  return file;
}

/**
 * Starts the server. Options: port (0 = any free port), host, pkgDir (the package directory whose dist/ and
 * package.json are served under /pkg/; default pkg/ of this repository). Resolves to { url, origin, port,
 * requests, close() }; every request is recorded in requests as { method, path, status }.
 */
export function startServer({ port = 8137, host = '127.0.0.1', pkgDir = path.join(REPO, 'pkg'), log = false } = {}) {
  pkgDir = path.resolve(pkgDir);
  const requests = [];
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      pathname = null;
    }
    const entry = { method: req.method, path: pathname ?? req.url, status: 0 };
    requests.push(entry);
    const send = (status, body, type, extra = {}) => {
      entry.status = status;
      res.writeHead(status, {
        'content-type': type ?? 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${entry.path}`);
    };
    if (pathname === null) return send(400, 'bad request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', undefined, { allow: 'GET, HEAD' });
    if (pathname === '/' || pathname === '/www') return send(302, '', undefined, { location: '/www/' });
    if (pathname === '/favicon.ico') return send(204, '');
    let file = null;
    if (pathname.startsWith('/www/') && !pathname.startsWith('/www/tools/')) file = resolveUnder(WWW, pathname.slice('/www/'.length));
    else if (pathname.startsWith('/pkg/dist/')) file = resolveUnder(path.join(pkgDir, 'dist'), pathname.slice('/pkg/dist/'.length));
    else if (pathname.startsWith('/pkg/messages/')) file = resolveUnder(path.join(pkgDir, 'messages'), pathname.slice('/pkg/messages/'.length));
    else if (pathname === '/pkg/package.json' || pathname === '/pkg/README.md') file = path.join(pkgDir, pathname.slice('/pkg/'.length));
    // The documentation the page's footer links to (plain text).
    else if (pathname === '/README.md') file = path.join(REPO, 'README.md');
    else if (pathname.startsWith('/docs/') && pathname.endsWith('.md')) file = resolveUnder(path.join(REPO, 'docs'), pathname.slice('/docs/'.length));
    if (!file || !fs.existsSync(file)) {
      const hint = pathname.startsWith('/pkg/dist/') ? ' (is the package built? bash scripts/build.sh)' : '';
      return send(404, `not found: ${pathname}${hint}`);
    }
    send(200, fs.readFileSync(file), MIME[path.extname(file)] ?? 'application/octet-stream');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actual } = server.address();
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      resolve({
        origin,
        url: `${origin}/www/`,
        port: actual,
        requests,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, pkg: { type: 'string' }, log: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('node www/tools/serve.mjs [--port 8137] [--host 127.0.0.1] [--pkg DIR] [--log]');
    process.exit(0);
  }
  const wanted = values.port !== undefined ? Number(values.port) : Number(process.env.PORT || 8137);
  const host = values.host ?? '127.0.0.1';
  const pkgDir = values.pkg ?? path.join(REPO, 'pkg');
  if (!fs.existsSync(path.join(pkgDir, 'dist', 'web.js'))) {
    console.error(`${path.join(pkgDir, 'dist', 'web.js')} is missing: build the package first (bash scripts/build.sh), or run bash scripts/serve.sh`);
    process.exit(2);
  }
  let srv;
  // Without an explicit --port, try the next ports when 8137 is taken.
  for (let p = wanted, tries = values.port !== undefined ? 1 : 20; tries > 0; p++, tries--) {
    try {
      srv = await startServer({ port: p, host, pkgDir, log: values.log });
      break;
    } catch (e) {
      if (e.code !== 'EADDRINUSE' || tries === 1) {
        console.error(`cannot listen on ${host}:${p}: ${e.message}`);
        process.exit(2);
      }
    }
  }
  console.log(`kms-offline page: ${srv.url}`);
  console.log('Serving www/ and the package from this machine only. Press Ctrl-C to stop.');
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
