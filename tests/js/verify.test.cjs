'use strict';
// CommonJS: `require('kms-offline')` resolves through the package's exports (node + require -> dist/node.cjs),
// synchronously, with no init call. Runs the shared, fixture-driven suite against it.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('kms-offline');
const { defineVerifySuite } = require('./verify-suite.cjs');

test('CommonJS: require("kms-offline") resolves to dist/node.cjs and is ready synchronously', () => {
  const file = require.resolve('kms-offline');
  assert.match(file, /[\\/]dist[\\/]node\.cjs$/, file);
  assert.equal(typeof lib.KmsPublicKey, 'function');
  assert.equal(typeof lib.KmsPublicKey.fromGetPublicKey, 'function');
});

defineVerifySuite(lib, 'CJS');
