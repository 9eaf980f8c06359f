// A user's Web Worker on the main entry (built by webpack with target 'webworker'): verifies in the worker and
// posts the report to the page (worker.html).
import { KmsPublicKey } from 'kms-offline';
import p256 from './fixture-p256.js';
import { runFixture, runRules } from './run-cases.js';

postMessage({ keys: [runFixture(KmsPublicKey, 'ECC_NIST_P256_SIGN_VERIFY', p256)], rules: runRules(KmsPublicKey, p256) });
