// A user's app on the P-256 verify-only entry.
import { KmsPublicKey } from 'kms-offline/verify-p256';
import p256 from './fixture-p256.js';
import { runAll } from './run-cases.js';

runAll(KmsPublicKey, [['ECC_NIST_P256_SIGN_VERIFY', p256]], 'kms-offline/verify-p256 bundled');
