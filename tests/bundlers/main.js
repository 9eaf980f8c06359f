// A user's app on the main entry: import the package by name, no init call.
import { KmsPublicKey } from 'kms-offline';
import p256 from './fixture-p256.js';
import rsaEncrypt from './fixture-rsa-encrypt.js';
import { runAll } from './run-cases.js';

runAll(KmsPublicKey, [['ECC_NIST_P256_SIGN_VERIFY', p256], ['RSA_2048_ENCRYPT_DECRYPT', rsaEncrypt]], 'kms-offline (main entry) bundled');
