// The package as `npm publish` would ship it: `npm pack` pkg/, unpack it into a scratch app's node_modules
// (test-output/package/work), then use it from there the way users do: require() and import in Node,
// Deno through package.json + node_modules, and TypeScript (nodenext and bundler resolution).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { REPO_ROOT, KEYS_DIR, outputDir, installPackedPackage } from '../browser/harness.mjs';

const FIXTURE = path.join(KEYS_DIR, 'ECC_NIST_P256_SIGN_VERIFY.json');
// The single-family entries `kms-offline/<name>` (scripts/build.sh FAMILY_ENTRIES), each with a fixture key of its family.
const FAMILY_ENTRIES = {
  'verify-p256': 'ECC_NIST_P256_SIGN_VERIFY',
  rsa: 'RSA_2048_ENCRYPT_DECRYPT',
  p256: 'ECC_NIST_P256_KEY_AGREEMENT',
  p384: 'ECC_NIST_P384_SIGN_VERIFY',
  p521: 'ECC_NIST_P521_KEY_AGREEMENT',
  secp256k1: 'ECC_SECG_P256K1_SIGN_VERIFY',
  sm2: 'SM2_ENCRYPT_DECRYPT',
  ed25519: 'ECC_NIST_EDWARDS25519_SIGN_VERIFY',
  'ml-dsa': 'ML_DSA_65_SIGN_VERIFY',
  'ml-kem': 'ML_KEM_768_ENCAPSULATE_DECAPSULATE',
};
const ENTRY_FILES = ['deno.d.ts', 'deno.js', 'kms_offline_bg.wasm', 'node.cjs', 'node.d.cts', 'node.d.mts', 'node.mjs', 'web.d.ts', 'web.js', 'workerd.js'];
const EXPECTED_FILES = [
  'LICENSE-APACHE',
  'LICENSE-MIT',
  'README.md',
  'bin/README.md',
  'bin/kms-offline.mjs',
  // the CLI's sentences, English and Japanese
  'bin/text/en.mjs',
  'bin/text/ja.mjs',
  'dist/deno.d.ts',
  'dist/deno.js',
  'dist/kms_offline_bg.wasm',
  // kms-offline/messages for require(), generated from messages/index.js
  'dist/messages.cjs',
  'dist/messages.d.cts',
  'dist/node.cjs',
  'dist/node.d.cts',
  'dist/node.d.mts',
  'dist/node.mjs',
  // every single-family entry: the same files in dist/<name>/
  ...Object.keys(FAMILY_ENTRIES).flatMap((name) => ENTRY_FILES.map((f) => `dist/${name}/${f}`)),
  'dist/web.d.ts',
  'dist/web.js',
  'dist/workerd.js',
  // kms-offline/messages: the sentences of errors in English and Japanese
  'messages/index.d.ts',
  'messages/index.js',
  'package.json',
  // the SAMPLE keys, for the CLI's --help examples: www/samples without the page's index.json
  ...fs.readdirSync(path.join(REPO_ROOT, 'www', 'samples')).filter((f) => f !== 'index.json').map((f) => `samples/${f}`),
].sort();

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('packed package (npm pack, installed elsewhere)', () => {
  const work = path.join(outputDir('package'), 'work');
  let pkg;

  before(() => {
    pkg = installPackedPackage(work);
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'kms-offline': '0.1.0' } }, null, 2));
    const check = `
      const fx = JSON.parse(fs.readFileSync(${JSON.stringify(FIXTURE)}, 'utf8'));
      const key = lib.KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.GetPublicKey));
      const c = fx.Signatures.find((c /*: any */) => c.Valid && c.MessageType === 'RAW');
      const valid = key.verify({ Message: c.Message, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: 'RAW' });
      let tampered;
      const other = c.Message === 'AQ==' ? 'Ag==' : 'AQ==';
      try { key.verifyOrThrow({ Message: other, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm }); } catch (e /*: any */) { tampered = e.name; }
      console.log(JSON.stringify({ resolved, valid, tampered, keySpec: key.keySpec }));`;
    fs.writeFileSync(path.join(work, 'consumer.cjs'), `const fs = require('fs');\nconst lib = require('kms-offline');\nconst resolved = require.resolve('kms-offline');\n${check}\n`);
    fs.writeFileSync(path.join(work, 'consumer.mjs'), `import fs from 'node:fs';\nimport * as lib from 'kms-offline';\nconst resolved = import.meta.resolve('kms-offline');\n${check}\n`);
    // The same checks through the P-256 verify-only entry.
    const family = (text) => text.replaceAll("'kms-offline'", "'kms-offline/verify-p256'");
    fs.writeFileSync(path.join(work, 'family.cjs'), family(fs.readFileSync(path.join(work, 'consumer.cjs'), 'utf8')));
    fs.writeFileSync(path.join(work, 'family.mjs'), family(fs.readFileSync(path.join(work, 'consumer.mjs'), 'utf8')));
    fs.writeFileSync(
      path.join(work, 'both.mjs'),
      `import { createRequire } from 'node:module';\nimport * as esm from 'kms-offline';\nconst cjs = createRequire(import.meta.url)('kms-offline');\nconsole.log(JSON.stringify({ same: esm.KmsPublicKey === cjs.KmsPublicKey }));\n`,
    );
    fs.writeFileSync(
      path.join(work, 'consumer.deno.ts'),
      `import * as lib from 'kms-offline';\nconst resolved = import.meta.resolve('kms-offline');\nconst fs = { readFileSync: (p: string, _e: string) => Deno.readTextFileSync(p) };\n${check.replaceAll('/*: any */', ': any')}\n`,
    );
  });

  it('ships exactly package.json, README.md, the licences, the CLI and its doc, the samples and dist/ (entries, types, one .wasm per entry)', () => {
    assert.deepEqual(pkg.files, EXPECTED_FILES);
    const pj = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));
    assert.equal(pj.name, 'kms-offline');
    assert.equal(pj.license, 'MIT OR Apache-2.0');
    assert.equal(pj.type, 'module');
    assert.equal(pj.sideEffects, false);
    // every file named in exports exists in the tarball
    const targets = [];
    const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
    walk(pj.exports);
    for (const t of targets) assert.ok(pkg.files.includes(t.replace(/^\.\//, '')), `exports target ${t} is not in the package`);
    for (const f of ['dist/node.cjs', 'dist/web.js', 'dist/deno.js', 'dist/node.mjs']) {
      const head = fs.readFileSync(path.join(pkg.dir, f), 'utf8').split('\n')[0];
      const want = f.replace(/^dist\//, './').replace(/\.cjs$/, '.d.cts').replace(/\.mjs$/, '.d.mts').replace(/\.js$/, '.d.ts');
      assert.equal(head, `/* @ts-self-types="${want}" */`, `${f} first line`);
      assert.ok(pkg.files.includes(`dist/${want.slice(2)}`), `${want} missing`);
    }
  });

  it('Cloudflare Workers: the workerd condition of every entry (ahead of node) gives its workerd.js, typed by web.d.ts', () => {
    const pj = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));
    for (const [subpath, dir] of [['.', './dist/'], ...Object.keys(FAMILY_ENTRIES).map((name) => [`./${name}`, `./dist/${name}/`])]) {
      const conditions = Object.keys(pj.exports[subpath]);
      assert.deepEqual(pj.exports[subpath].workerd, { types: `${dir}web.d.ts`, default: `${dir}workerd.js` }, subpath);
      // wrangler with nodejs_compat also sets `node`: the first matching key wins
      assert.ok(conditions.indexOf('workerd') < conditions.indexOf('node'), `${subpath}: workerd after node`);
      // no `worker` condition: webpack's target webworker sets it and cannot import a .wasm as a WebAssembly.Module
      // (tests/bundlers/: its Web Worker build gets web.js)
      assert.ok(!conditions.includes('worker'), `${subpath}: a worker condition`);
      const workerd = fs.readFileSync(path.join(pkg.dir, dir, 'workerd.js'), 'utf8');
      assert.equal(workerd.split('\n')[0], '/* @ts-self-types="./web.d.ts" */');
      assert.match(workerd, /^import kmsOfflineWasmModule from '\.\/kms_offline_bg\.wasm';/m);
      assert.doesNotMatch(workerd, /import\.meta|__dirname|require\(/, 'workerd has no import.meta.url and no Node globals');
    }
  });

  it('Node CommonJS: require("kms-offline") works synchronously from node_modules', () => {
    const r = JSON.parse(run(process.execPath, ['consumer.cjs'], work));
    assert.equal(r.resolved, path.join(pkg.dir, 'dist', 'node.cjs'));
    assert.deepEqual([r.valid, r.tampered, r.keySpec], [true, 'KMSInvalidSignatureException', 'ECC_NIST_P256']);
  });

  it('Node ESM: import "kms-offline" works from node_modules', () => {
    const r = JSON.parse(run(process.execPath, ['consumer.mjs'], work));
    assert.equal(r.resolved, 'file://' + path.join(pkg.dir, 'dist', 'node.mjs'));
    assert.deepEqual([r.valid, r.tampered, r.keySpec], [true, 'KMSInvalidSignatureException', 'ECC_NIST_P256']);
  });

  it('Node: import and require in one process share one module instance', () => {
    assert.deepEqual(JSON.parse(run(process.execPath, ['both.mjs'], work)), { same: true });
  });

  it('Deno: import "kms-offline" from node_modules uses the deno entry', () => {
    const deno = path.join(REPO_ROOT, 'node_modules', '.bin', 'deno');
    const r = JSON.parse(run(deno, ['run', '--allow-read', '--no-lock', '--check', 'consumer.deno.ts'], work).trim().split('\n').pop());
    assert.equal(r.resolved, 'file://' + path.join(pkg.dir, 'dist', 'deno.js'));
    assert.deepEqual([r.valid, r.tampered, r.keySpec], [true, 'KMSInvalidSignatureException', 'ECC_NIST_P256']);
  });

  it('kms-offline/verify-p256: require, import and Deno resolve its own files and verify', () => {
    fs.writeFileSync(path.join(work, 'family.deno.ts'), fs.readFileSync(path.join(work, 'consumer.deno.ts'), 'utf8').replaceAll("'kms-offline'", "'kms-offline/verify-p256'"));
    const deno = path.join(REPO_ROOT, 'node_modules', '.bin', 'deno');
    const runs = {
      'node.cjs': JSON.parse(run(process.execPath, ['family.cjs'], work)),
      'node.mjs': JSON.parse(run(process.execPath, ['family.mjs'], work)),
      'deno.js': JSON.parse(run(deno, ['run', '--allow-read', '--no-lock', '--check', 'family.deno.ts'], work).trim().split('\n').pop()),
    };
    for (const [file, r] of Object.entries(runs)) {
      assert.equal(r.resolved.replace(/^file:\/\//, ''), path.join(pkg.dir, 'dist', 'verify-p256', file));
      assert.deepEqual([r.valid, r.tampered, r.keySpec], [true, 'KMSInvalidSignatureException', 'ECC_NIST_P256'], file);
    }
  });

  it('every single-family entry: require, import and Deno resolve its own files and load a key of its family', () => {
    // One program per runtime loads every entry: { [entry]: { resolved, keySpec } }.
    const body = (load, resolve) =>
      `const out = {};\nfor (const [entry, fixture] of Object.entries(${JSON.stringify(FAMILY_ENTRIES)})) {\n` +
      `  const lib = ${load};\n  const fx = JSON.parse(readText(${JSON.stringify(KEYS_DIR)} + '/' + fixture + '.json'));\n` +
      `  out[entry] = { resolved: ${resolve}, keySpec: lib.KmsPublicKey.fromGetPublicKey(fx.GetPublicKey).keySpec };\n}\nconsole.log(JSON.stringify(out));\n`;
    fs.writeFileSync(path.join(work, 'families.cjs'), `const readText = (p) => require('fs').readFileSync(p, 'utf8');\n${body("require('kms-offline/' + entry)", "require.resolve('kms-offline/' + entry)")}`);
    fs.writeFileSync(path.join(work, 'families.mjs'), `import fs from 'node:fs';\nconst readText = (p) => fs.readFileSync(p, 'utf8');\n${body("await import('kms-offline/' + entry)", "import.meta.resolve('kms-offline/' + entry)")}`);
    fs.writeFileSync(path.join(work, 'families.deno.ts'), `const readText = (p: string) => Deno.readTextFileSync(p);\n${body("await import('kms-offline/' + entry)", "import.meta.resolve('kms-offline/' + entry)").replace('const out = {}', 'const out: Record<string, unknown> = {}')}`);
    const deno = path.join(REPO_ROOT, 'node_modules', '.bin', 'deno');
    const runs = {
      'node.cjs': JSON.parse(run(process.execPath, ['families.cjs'], work)),
      'node.mjs': JSON.parse(run(process.execPath, ['families.mjs'], work)),
      'deno.js': JSON.parse(run(deno, ['run', '--allow-read', '--no-lock', 'families.deno.ts'], work).trim().split('\n').pop()),
    };
    for (const [file, results] of Object.entries(runs)) {
      for (const [entry, fixture] of Object.entries(FAMILY_ENTRIES)) {
        assert.equal(results[entry].resolved.replace(/^file:\/\//, ''), path.join(pkg.dir, 'dist', entry, file), `${entry} (${file})`);
        assert.equal(results[entry].keySpec, JSON.parse(fs.readFileSync(path.join(KEYS_DIR, `${fixture}.json`), 'utf8')).GetPublicKey.KeySpec, `${entry} (${file})`);
      }
    }
  });

  const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const USE = `
    const key = KmsPublicKey.fromGetPublicKey('{}');
    const key2 = KmsPublicKey.fromPublicKey('-----BEGIN PUBLIC KEY-----', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    const ok: boolean = key.verify({ Message: new Uint8Array(1), Signature: 'c2ln', SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'RAW' });
    const res = key.verifyOrThrow({ Message: 'bXNn', Signature: new Uint8Array(70), SigningAlgorithm: 'ECDSA_SHA_256' });
    const valid: true = res.SignatureValid;
    const spec: string = key.keySpec;
    const usage: string = key.keyUsage;
    const id: string | undefined = key.keyId;
    const region: string | undefined = key.arn?.region;
    const algs: string[] = [...key.signingAlgorithms, ...key.encryptionAlgorithms, ...key.keyAgreementAlgorithms, ...key.encapsulationAlgorithms];
    const der: Uint8Array = key.spkiDer();
    const pem: string = key.spkiPem();
    const fp: string = key.fingerprint();
    const json = JSON.stringify(key.toJSON());
    key2.free();
    export const used = [ok, valid, spec, usage, id, region, algs, der, pem, fp, json];
  `;
  const tsconfig = (module, moduleResolution, files) => ({
    compilerOptions: { module, moduleResolution, target: 'es2022', lib: ['es2022', 'esnext.disposable', 'dom'], strict: true, noEmit: true, types: [], skipLibCheck: false },
    files,
  });
  const tsc = (project) => run(process.execPath, [TSC, '-p', project, '--listFiles'], work);

  it('TypeScript (module nodenext): import and require get node.d.mts / node.d.cts', () => {
    fs.mkdirSync(path.join(work, 'ts'), { recursive: true });
    fs.writeFileSync(path.join(work, 'ts', 'esm.mts'), `import { KmsPublicKey } from 'kms-offline';\n${USE}`);
    fs.writeFileSync(path.join(work, 'ts', 'cjs.cts'), `import lib = require('kms-offline');\nconst { KmsPublicKey } = lib;\n${USE}`);
    fs.writeFileSync(path.join(work, 'ts', 'family.mts'), `import { KmsPublicKey } from 'kms-offline/verify-p256';\n${USE}`);
    fs.writeFileSync(path.join(work, 'tsconfig.node.json'), JSON.stringify(tsconfig('nodenext', 'nodenext', ['ts/esm.mts', 'ts/cjs.cts', 'ts/family.mts'])));
    const files = tsc('tsconfig.node.json');
    assert.match(files, /kms-offline\/dist\/node\.d\.mts/);
    assert.match(files, /kms-offline\/dist\/node\.d\.cts/);
    assert.match(files, /kms-offline\/dist\/verify-p256\/node\.d\.mts/);
  });

  it('TypeScript (moduleResolution bundler): import gets web.d.ts', () => {
    fs.mkdirSync(path.join(work, 'ts'), { recursive: true });
    fs.writeFileSync(path.join(work, 'ts', 'app.ts'), `import { KmsPublicKey } from 'kms-offline';\n${USE}`);
    fs.writeFileSync(path.join(work, 'ts', 'family.ts'), `import { KmsPublicKey } from 'kms-offline/verify-p256';\n${USE}`);
    fs.writeFileSync(path.join(work, 'tsconfig.bundler.json'), JSON.stringify(tsconfig('esnext', 'bundler', ['ts/app.ts', 'ts/family.ts'])));
    const files = tsc('tsconfig.bundler.json');
    assert.match(files, /kms-offline\/dist\/web\.d\.ts/);
    assert.match(files, /kms-offline\/dist\/verify-p256\/web\.d\.ts/);
  });

  it('TypeScript: the AWS SDK v3 GetPublicKeyCommandOutput type is accepted by fromGetPublicKey', () => {
    // The shape @aws-sdk/client-kms declares (every member optional, `| undefined`, plus $metadata).
    fs.writeFileSync(
      path.join(work, 'ts', 'sdk.ts'),
      `import { KmsPublicKey } from 'kms-offline';
      interface ResponseMetadata { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; cfId?: string; attempts?: number; totalRetryDelay?: number }
      interface GetPublicKeyCommandOutput {
        KeyId?: string | undefined; PublicKey?: Uint8Array | undefined;
        CustomerMasterKeySpec?: 'RSA_2048' | 'ECC_NIST_P256' | undefined; KeySpec?: 'RSA_2048' | 'ECC_NIST_P256' | 'ML_DSA_44' | undefined;
        KeyUsage?: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' | undefined;
        EncryptionAlgorithms?: ('RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256')[] | undefined;
        SigningAlgorithms?: ('ECDSA_SHA_256' | 'RSASSA_PSS_SHA_256')[] | undefined;
        KeyAgreementAlgorithms?: 'ECDH'[] | undefined; EncapsulationAlgorithms?: 'ML_KEM'[] | undefined;
        $metadata: ResponseMetadata;
      }
      declare const output: GetPublicKeyCommandOutput;
      export const key = KmsPublicKey.fromGetPublicKey(output);
      `,
    );
    fs.writeFileSync(path.join(work, 'tsconfig.sdk.json'), JSON.stringify(tsconfig('esnext', 'bundler', ['ts/sdk.ts'])));
    tsc('tsconfig.sdk.json');
  });
});
