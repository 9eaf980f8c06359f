// An EncryptionContext that throws while it is read (a Proxy's ownKeys or get trap): encryptMessage and
// messageEncryptor answer ValidationException with the thrown value as its cause, as every other read of a JS
// value does (src/js/read.rs `unreadable`), never the caller's own exception. Found by the sweep (seed 0x4b4d53).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { KmsPublicKey } = require('kms-offline');
const { loadFixtures } = require('./fixtures.cjs');
const gpk = loadFixtures().find((f) => f.name === 'ECC_NIST_P256_KEY_AGREEMENT').data.GetPublicKey;

class Sentinel extends Error {}
const hostile = {
  ownKeys: new Proxy({}, { ownKeys: () => { throw new Sentinel('ownKeys'); } }),
  get: new Proxy({ a: 'b' }, { get: () => { throw new Sentinel('get'); } }),
};

describe('an EncryptionContext that throws while read', () => {
  for (const [trap, context] of Object.entries(hostile)) {
    for (const method of ['encryptMessage', 'messageEncryptor']) {
      it(`${method}: ${trap} trap → ValidationException with the thrown value as cause`, () => {
        const key = KmsPublicKey.fromGetPublicKey(gpk);
        try {
          assert.throws(() => key[method]({ Plaintext: new Uint8Array(1), EncryptionContext: context }), (e) => {
            assert.equal(e.name, 'ValidationException', `${e.name}: ${e.message}`);
            assert.match(e.message, /EncryptionContext could not be read/);
            assert.ok(e.cause instanceof Sentinel);
            return true;
          });
        } finally {
          key.free();
        }
      });
    }
  }
});
