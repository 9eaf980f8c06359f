// A user's app on one key family's entry: RSA (verify, and encrypt for KMS Decrypt).
import { KmsPublicKey } from 'kms-offline/rsa';
import rsaSign from './fixture-rsa-sign.js';
import rsaEncrypt from './fixture-rsa-encrypt.js';
import { runAll } from './run-cases.js';

runAll(KmsPublicKey, [['RSA_2048_SIGN_VERIFY', rsaSign], ['RSA_2048_ENCRYPT_DECRYPT', rsaEncrypt]], 'kms-offline/rsa bundled');
