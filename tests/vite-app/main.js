// A user's app: import the package by name, no init call, no Vite configuration.
import { KmsPublicKey } from 'kms-offline';
import fixture from './fixture.json';
import { runAll } from './run-cases.js';

runAll(KmsPublicKey, [['ECC_NIST_P256_SIGN_VERIFY', fixture]], 'kms-offline in a Vite app');
