'use strict';
// The fixture verify suite of tests/js (every fixture signature, every rule) against a build variant:
//   KMS_BENCH_DIST=bench/variants/o3 node --test bench/check-variant.cjs
const path = require('node:path');
const dist = path.resolve(process.env.KMS_BENCH_DIST || path.join(__dirname, '..', 'pkg', 'dist'));
const lib = require(path.join(dist, 'node.cjs'));
const { defineVerifySuite } = require('../tests/js/verify-suite.cjs');
defineVerifySuite(lib, `variant ${path.basename(dist)}`);
