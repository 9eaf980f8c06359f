// How the Workers tests build a user's worker: bundled the way wrangler bundles (esbuild with the export conditions
// workerd, worker, browser; every `.wasm` import left as a CompiledWasm module, wrangler's default rule), for workerd
// through Miniflare with no compatibility flags. Used by workers.test.mjs and esdk.test.mjs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../browser/harness.mjs';

/** Wrangler's resolution for Workers (its esbuild `conditions`). */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];
// A date this workerd supports; no compatibility flags (no nodejs_compat).
export const COMPATIBILITY_DATE = '2026-07-01';

/**
 * esbuild plugin doing what wrangler does with `.wasm` imports: keep each as a separate module next to the
 * bundle (named by content, so the two entries' kms_offline_bg.wasm do not collide), for the CompiledWasm rule.
 */
function wasmModules(outdir) {
  return {
    name: 'wasm-modules',
    setup(build) {
      build.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        const name = `${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16)}-${path.basename(file)}`;
        fs.copyFileSync(file, path.join(outdir, name));
        return { path: `./${name}`, external: true };
      });
    },
  };
}

/**
 * Bundles <work>/<entry> into <work>/dist like `wrangler deploy --dry-run` would; returns { outdir, inputs } (the
 * metafile's inputs, relative to <work>). The bundle is <work>/dist/<entry>.
 */
export async function bundleWorker(work, entry = 'worker.js') {
  const outdir = path.join(work, 'dist');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(work, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: WRANGLER_CONDITIONS,
    outdir,
    metafile: true,
    logLevel: 'warning',
    plugins: [wasmModules(outdir)],
  });
  return { outdir, inputs: Object.keys(result.metafile.inputs).map((f) => path.relative(work, path.resolve(REPO_ROOT, f))) };
}
