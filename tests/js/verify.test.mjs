// ESM: `import { KmsPublicKey } from 'kms-offline'` resolves through the package's exports (node + import
// -> dist/node.mjs). Runs the shared, fixture-driven suite against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'kms-offline';
import { KmsPublicKey } from 'kms-offline';
import suite from './verify-suite.cjs';

test('ESM: kms-offline resolves to dist/node.mjs and loads without an init call', () => {
  const url = import.meta.resolve('kms-offline');
  assert.match(url, /\/dist\/node\.mjs$/, url);
  assert.equal(lib.KmsPublicKey, KmsPublicKey);
  assert.equal(typeof KmsPublicKey.fromGetPublicKey, 'function');
  assert.equal('default' in lib, false, 'no default export');
});

suite.defineVerifySuite(lib, 'ESM');
