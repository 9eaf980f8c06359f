// A string is never silently read as other bytes (README "Strings and bytes"). For every fixture key and every
// member that accepts a string, strings that are text, hex of the right bytes, base64url, or canonical base64
// of the wrong length are refused with a ValidationException that is a local input error (kmsRefusal false),
// never answered (false, a ciphertext, a derived key). The forms that say what they are still work.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KmsPublicKey, hkdf, oneStepKdf, derToP1363, p1363ToDer, normalizeLowS } from 'kms-offline';
import F from './fixtures.cjs';

const fixtures = F.loadFixtures();
const load = (fx) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.data.GetPublicKey));
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const twice = (bytes) => new Uint8Array([...bytes, ...bytes]);
const TEXTS = ['test', 'hello world'];

/** The strings that must never be read as `bytes`: text, hex, base64url (when it differs from base64), and
 *  canonical base64 of the wrong length (the bytes twice over, 3 bytes). */
function misleading(bytes, { wrongLength = true } = {}) {
  const forms = [...TEXTS.map((t) => [`text '${t}'`, t]), ['hex', hex(bytes)]];
  if (b64url(bytes) !== b64(bytes)) forms.push(['base64url', b64url(bytes)]);
  if (wrongLength) forms.push(['base64 of the bytes twice', b64(twice(bytes))], ['base64 of 3 bytes', 'AAEC']);
  return forms;
}

/** fn() must throw a ValidationException that is an input error; returns it. */
function inputRefusal(fn, what) {
  let answer;
  try {
    answer = fn();
  } catch (e) {
    assert.equal(e?.name, 'ValidationException', `${what}: ${e?.name}: ${e?.message}`);
    assert.equal(e.kmsRefusal, false, `${what}: refused as a KMS rule: ${e.message}`);
    return e;
  }
  assert.fail(`${what}: answered ${answer instanceof Uint8Array ? 'bytes' : JSON.stringify(answer)} instead of refusing`);
}

async function inputRefusalAsync(fn, what) {
  let answer;
  try {
    answer = await fn();
  } catch (e) {
    assert.equal(e?.name, 'ValidationException', `${what}: ${e?.name}: ${e?.message}`);
    assert.equal(e.kmsRefusal, false, `${what}: refused as a KMS rule: ${e.message}`);
    return;
  }
  assert.fail(`${what}: answered ${JSON.stringify(answer)} instead of refusing`);
}

/** One valid case per (SigningAlgorithm, MessageType) of a signing fixture, as bytes. */
function validCases(fx) {
  const seen = new Set();
  return (fx.data.Signatures ?? [])
    .filter((c) => c.Valid && !seen.has(`${c.SigningAlgorithm}/${c.MessageType}`) && seen.add(`${c.SigningAlgorithm}/${c.MessageType}`))
    .map((c) => ({ ...c, message: F.b64bytes(c.Message), signature: F.b64bytes(c.Signature) }));
}

describe('a string is never silently read as other bytes', () => {
  for (const fx of fixtures.filter((f) => f.data.GetPublicKey.KeyUsage === 'SIGN_VERIFY')) {
    it(`${fx.name}: verify, verifyOrThrow and verifyAsync refuse misleading Signature and Message strings`, async () => {
      const key = load(fx);
      for (const c of validCases(fx)) {
        const base = { Message: c.message, Signature: c.signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: c.MessageType };
        const label = `${c.SigningAlgorithm} ${c.MessageType}`;
        // The unambiguous forms answer true.
        assert.equal(key.verify(base), true, `${label}: bytes`);
        assert.equal(key.verify({ ...base, Signature: c.Signature }), true, `${label}: Signature base64`);
        assert.equal(key.verify({ ...base, Message: c.Message, MessageEncoding: 'base64' }), true, `${label}: Message base64, said so`);
        if (c.MessageType !== 'RAW') assert.equal(key.verify({ ...base, Message: c.Message }), true, `${label}: ${c.MessageType} Message base64`);
        const requests = [
          ...misleading(c.signature).map(([form, s]) => [`Signature ${form}`, { ...base, Signature: s }]),
          ...misleading(c.message, { wrongLength: c.MessageType !== 'RAW' }).map(([form, m]) => [`Message ${form}`, { ...base, Message: m }]),
        ];
        // With MessageType RAW any string Message is ambiguous, canonical base64 included.
        if (c.MessageType === 'RAW') requests.push(['Message canonical base64 without MessageEncoding', { ...base, Message: c.Message }]);
        for (const [form, request] of requests) {
          const what = `${fx.name} ${label} ${form}`;
          inputRefusal(() => key.verify(request), `${what} verify`);
          inputRefusal(() => key.verifyOrThrow(request), `${what} verifyOrThrow`);
          await inputRefusalAsync(() => key.verifyAsync(request), `${what} verifyAsync`);
        }
      }
      key.free();
    });
  }

  it('the refusals say what the string decoded to, what was expected, and what it looks like', () => {
    const fx = fixtures.find((f) => f.name === 'ECC_NIST_P256_SIGN_VERIFY');
    const key = load(fx);
    const c = validCases(fx).find((x) => x.MessageType === 'RAW');
    const der = new Uint8Array(70).fill(0x30);
    const base = { Message: c.message, Signature: c.signature, SigningAlgorithm: 'ECDSA_SHA_256' };
    assert.equal(
      inputRefusal(() => key.verify({ ...base, Signature: hex(der) }), 'hex').message,
      'Signature is base64 of 105 bytes; an ECDSA_SHA_256 DER signature is 8 to 72 bytes. It looks like hex: decode it, or pass bytes',
    );
    assert.match(inputRefusal(() => key.verify({ ...base, Signature: b64url(c.signature).replace(/=+$/, '') + '_' }), 'base64url').message, /base64url/);
    assert.match(inputRefusal(() => key.verify({ ...base, Signature: 'not a signature!' }), 'text').message, /it looks like text/);
    assert.match(
      inputRefusal(() => key.verify({ ...base, Message: 'test' }), 'RAW text').message,
      /^Message is a string, and its length is free, so it could be text or base64: .*MessageEncoding: 'utf8' \(text\) or 'base64'$/,
    );
    assert.match(inputRefusal(() => key.verify({ ...base, MessageEncoding: 'hex', Message: 'AA' }), 'hex encoding').message, /MessageEncoding is 'hex': it must be 'utf8'/);
    assert.match(inputRefusal(() => key.verify({ ...base, MessageEncoding: 'utf8' }), 'encoding beside bytes').message, /Message is bytes: leave MessageEncoding out/);
    key.free();
  });

  it('MessageEncoding utf8 reads text as its UTF-8 bytes, the same answer as the bytes', () => {
    const fx = fixtures.find((f) => f.name === 'ECC_NIST_P256_SIGN_VERIFY');
    const key = load(fx);
    for (const c of fx.data.Signatures.filter((s) => s.MessageType === 'RAW')) {
      const text = Buffer.from(c.Message, 'base64').toString('utf8');
      if (Buffer.from(text, 'utf8').toString('base64') !== c.Message) continue; // not valid UTF-8 text
      const request = { Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm };
      assert.equal(key.verify({ ...request, Message: text, MessageEncoding: 'utf8' }), c.Valid, c.Note);
      assert.equal(key.verify({ ...request, Message: new TextEncoder().encode(text) }), c.Valid, c.Note);
    }
    key.free();
  });

  it('a request KMS refuses whatever its bytes are is refused with the KMS exception, not a string complaint', () => {
    const enc = load(fixtures.find((f) => f.name === 'RSA_2048_ENCRYPT_DECRYPT'));
    assert.throws(() => enc.verify({ Message: 'test', Signature: 'AAAA', SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), { name: 'InvalidKeyUsageException', kmsRefusal: true });
    const p256 = load(fixtures.find((f) => f.name === 'ECC_NIST_P256_SIGN_VERIFY'));
    assert.throws(() => p256.verify({ Message: 'test', Signature: 'AAAA', SigningAlgorithm: 'ECDSA_SHA_384' }), { name: 'InvalidKeyUsageException', kmsRefusal: true });
    assert.throws(() => enc.encrypt({ Plaintext: 'hello', EncryptionAlgorithm: 'SM2PKE' }), { name: 'InvalidKeyUsageException', kmsRefusal: true });
    enc.free();
    p256.free();
  });

  for (const fx of fixtures.filter((f) => f.data.GetPublicKey.KeyUsage === 'ENCRYPT_DECRYPT')) {
    it(`${fx.name}: encrypt and encryptAsync refuse a Plaintext string without PlaintextEncoding`, async () => {
      const key = load(fx);
      const plaintext = new TextEncoder().encode('a plaintext');
      for (const alg of fx.data.GetPublicKey.EncryptionAlgorithms) {
        for (const [form, text] of [...misleading(plaintext), ['canonical base64', b64(plaintext)]]) {
          const request = { Plaintext: text, EncryptionAlgorithm: alg };
          inputRefusal(() => key.encrypt(request), `${fx.name} ${alg} ${form}`);
          await inputRefusalAsync(() => key.encryptAsync(request), `${fx.name} ${alg} ${form} encryptAsync`);
        }
        assert.ok(key.encrypt({ Plaintext: 'a plaintext', PlaintextEncoding: 'utf8', EncryptionAlgorithm: alg }).CiphertextBlob.length > 0);
        assert.ok(key.encrypt({ Plaintext: b64(plaintext), PlaintextEncoding: 'base64', EncryptionAlgorithm: alg }).CiphertextBlob.length > 0);
      }
      key.free();
    });
  }

  it('hkdf and oneStepKdf refuse a string member without its ...Encoding, and read it as said', () => {
    const ikm = new Uint8Array(32).fill(7);
    const info = new TextEncoder().encode('protocol v1');
    const bytes = hkdf({ Hash: 'SHA-256', Ikm: ikm, Info: info, Length: 32 });
    for (const [member, value] of [['Ikm', b64(ikm)], ['Salt', 'salt'], ['Info', 'protocol v1']]) {
      inputRefusal(() => hkdf({ Hash: 'SHA-256', Ikm: ikm, [member]: value, Length: 32 }), `hkdf ${member}`);
    }
    assert.deepEqual(hkdf({ Hash: 'SHA-256', Ikm: b64(ikm), IkmEncoding: 'base64', Info: 'protocol v1', InfoEncoding: 'utf8', Length: 32 }), bytes);
    const z = oneStepKdf({ Hash: 'SHA-256', SharedSecret: ikm, FixedInfo: info, Length: 32 });
    for (const [member, value] of [['SharedSecret', hex(ikm)], ['FixedInfo', 'protocol v1']]) {
      inputRefusal(() => oneStepKdf({ Hash: 'SHA-256', SharedSecret: ikm, [member]: value, Length: 32 }), `oneStepKdf ${member}`);
    }
    assert.deepEqual(oneStepKdf({ Hash: 'SHA-256', SharedSecret: b64(ikm), SharedSecretEncoding: 'base64', FixedInfo: 'protocol v1', FixedInfoEncoding: 'utf8', Length: 32 }), z);
  });

  for (const fx of fixtures.filter((f) => /^ECC_(NIST_P|SECG)|^SM2/.test(f.data.GetPublicKey.KeySpec) && f.data.GetPublicKey.KeyUsage === 'SIGN_VERIFY')) {
    it(`${fx.name}: derToP1363, p1363ToDer and normalizeLowS refuse misleading signature strings`, () => {
      const spec = fx.data.GetPublicKey.KeySpec;
      const der = validCases(fx)[0].signature;
      const p1363 = derToP1363(der, spec);
      assert.deepEqual(derToP1363(b64(der), spec), p1363);
      for (const [form, s] of misleading(der)) inputRefusal(() => derToP1363(s, spec), `${spec} derToP1363 ${form}`);
      for (const [form, s] of misleading(p1363)) inputRefusal(() => p1363ToDer(s, spec), `${spec} p1363ToDer ${form}`);
      if (spec !== 'SM2') {
        for (const [form, s] of misleading(der)) inputRefusal(() => normalizeLowS(s, spec), `${spec} normalizeLowS DER ${form}`);
        for (const [form, s] of misleading(p1363)) inputRefusal(() => normalizeLowS(s, spec, 'P1363'), `${spec} normalizeLowS P1363 ${form}`);
      }
    });
  }

  it('ECC_SECG_P256K1: ethereumSignature refuses misleading Digest and Signature strings', () => {
    const fx = fixtures.find((f) => f.name === 'ECC_SECG_P256K1_SIGN_VERIFY');
    const key = load(fx);
    const c = validCases(fx).find((x) => x.MessageType === 'DIGEST');
    const params = { Digest: c.message, Signature: c.signature };
    assert.equal(key.ethereumSignature({ Digest: c.Message, Signature: c.Signature }).Signature.length, 65);
    for (const [form, s] of misleading(c.message)) inputRefusal(() => key.ethereumSignature({ ...params, Digest: s }), `Digest ${form}`);
    for (const [form, s] of misleading(c.signature)) inputRefusal(() => key.ethereumSignature({ ...params, Signature: s }), `Signature ${form}`);
    key.free();
  });

  for (const fx of fixtures.filter((f) => f.data.GetPublicKey.KeyUsage === 'SIGN_VERIFY' && f.data.GetPublicKey.KeySpec !== 'SM2')) {
    it(`${fx.name}: assembleJws refuses misleading signature strings`, () => {
      const key = load(fx);
      const { SigningInput } = key.jwsSigningRequest({ Payload: 'payload', Alg: key.keySpec.startsWith('RSA') ? 'PS256' : undefined });
      const signature = validCases(fx)[0].signature; // the right size for the key (not a signature over this input)
      for (const [form, s] of misleading(signature)) inputRefusal(() => key.assembleJws(SigningInput, s), `${fx.name} assembleJws ${form}`);
      key.free();
    });
  }

  it('ML-DSA: externalMu takes bytes only', () => {
    const key = load(fixtures.find((f) => f.name === 'ML_DSA_44_SIGN_VERIFY'));
    for (const s of [...TEXTS, 'AQID']) inputRefusal(() => key.externalMu(s), `externalMu('${s}')`);
    assert.equal(key.externalMu(new TextEncoder().encode('test')).length, 64);
    key.free();
  });
});
