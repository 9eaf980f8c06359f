// Deno: imports the package by its name. Deno 2 finds /work/main/package.json + node_modules/kms-offline and
// resolves the package's `deno` export condition (dist/deno.js + dist/deno.d.ts, type-checked by `deno test`).
// Verifies every valid and tampered fixture case of every signing key, and a few KMS rules.
//
//   node_modules/.bin/deno test --allow-read --no-lock tests/deno/
import { KmsPublicKey } from "kms-offline";
import { ml_kem512, ml_kem768, ml_kem1024 } from "@noble/post-quantum/ml-kem.js";

type SignatureCase = {
  SigningAlgorithm: string;
  MessageType?: string;
  Message: string;
  Signature: string;
  Valid: boolean;
  Note?: string;
};
type Fixture = {
  GetPublicKey: Record<string, unknown> & { KeyId: string; PublicKey: string; KeySpec: string; KeyUsage: string };
  PublicKeyPem: string;
  Signatures?: SignatureCase[];
};

const keysDir = new URL("../fixtures/keys/", import.meta.url);

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

function b64bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function loadFixtures(): { name: string; data: Fixture }[] {
  const out: { name: string; data: Fixture }[] = [];
  for (const entry of Deno.readDirSync(keysDir)) {
    if (!entry.isFile || !entry.name.endsWith(".json") || entry.name === "index.json") continue;
    const data = JSON.parse(Deno.readTextFileSync(new URL(entry.name, keysDir))) as Fixture;
    out.push({ name: entry.name.replace(/\.json$/, ""), data });
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  assert(out.length > 0, `no fixtures in ${keysDir}`);
  return out;
}

const fixtures = loadFixtures();
const signing = fixtures.filter((f) => (f.data.Signatures ?? []).length > 0);

Deno.test("kms-offline resolves to the deno entry", () => {
  const url = import.meta.resolve("kms-offline");
  // Deno 2 resolves the bare name through package.json + node_modules and picks the `deno` condition
  assert(/\/dist\/deno\.js$/.test(url), `resolved to ${url}, expected the package's dist/deno.js`);
  assert(typeof KmsPublicKey.fromGetPublicKey === "function", "KmsPublicKey.fromGetPublicKey missing");
});

function family(keySpec: string): string {
  if (keySpec.startsWith("RSA_")) return "RSA";
  if (/^ECC_NIST_P\d+$/.test(keySpec)) return "ECDSA NIST";
  if (keySpec === "ECC_SECG_P256K1") return "ECDSA secp256k1";
  if (keySpec === "ECC_NIST_EDWARDS25519") return "Ed25519";
  if (keySpec === "SM2") return "SM2";
  if (keySpec.startsWith("ML_DSA_")) return "ML-DSA";
  return keySpec;
}

Deno.test("every signing family has signature fixtures", () => {
  const families = new Set(signing.map((f) => family(f.data.GetPublicKey.KeySpec)));
  for (const fam of ["RSA", "ECDSA NIST", "ECDSA secp256k1", "Ed25519", "SM2", "ML-DSA"]) {
    assert(families.has(fam), `no signing fixture for family ${fam}: ${[...families].join(", ")}`);
  }
});

for (const fx of fixtures) {
  const gpk = fx.data.GetPublicKey;
  Deno.test(`${fx.name}: loads from CLI JSON, SDK object and PEM`, () => {
    const fromCli = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
    // the SDK's GetPublicKeyCommand output: PublicKey as bytes, plus $metadata
    const sdkOutput = { $metadata: { httpStatusCode: 200, attempts: 1 }, ...gpk, PublicKey: b64bytes(gpk.PublicKey) };
    const fromSdk = KmsPublicKey.fromGetPublicKey(sdkOutput);
    const { PublicKey: _pk, ...meta } = gpk;
    const fromPem = KmsPublicKey.fromPublicKey(fx.data.PublicKeyPem, meta);
    const fingerprint = fromCli.fingerprint();
    assert(/^[0-9a-f]{64}$/.test(fingerprint), `fingerprint ${fingerprint}`);
    for (const key of [fromCli, fromSdk, fromPem]) {
      assert(key.keySpec === gpk.KeySpec, `keySpec ${key.keySpec}`);
      assert(key.keyUsage === gpk.KeyUsage, `keyUsage ${key.keyUsage}`);
      assert(key.keyId === gpk.KeyId, `keyId ${key.keyId}`);
      assert(key.fingerprint() === fingerprint, "fingerprint differs between loaders");
      key.free();
    }
  });
}

for (const fx of signing) {
  const gpk = fx.data.GetPublicKey;
  const cases = fx.data.Signatures!;
  Deno.test(`${fx.name}: ${cases.length} signature cases (${cases.filter((c) => c.Valid).length} valid, ${cases.filter((c) => !c.Valid).length} tampered)`, () => {
    const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const what = `#${i} ${c.SigningAlgorithm}/${c.MessageType ?? "RAW"} Valid=${c.Valid} ${c.Note ?? ""}`;
      const reqs = [
        { Message: b64bytes(c.Message), Signature: b64bytes(c.Signature), SigningAlgorithm: c.SigningAlgorithm, MessageType: c.MessageType },
        { Message: c.Message, MessageEncoding: "base64" as const, Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: c.MessageType },
      ];
      for (const req of reqs) {
        try {
          const got = key.verify(req);
          if (got !== c.Valid) failures.push(`${what}: verify returned ${got}`);
        } catch (e) {
          // A malformed signature case (truncated, extended) as a base64 string is refused by its length.
          const err = e as Error & { kmsRefusal?: boolean };
          if (req !== reqs[0] && !c.Valid && err.kmsRefusal === false && /^Signature is base64 of \d+ bytes; /.test(err.message)) continue;
          failures.push(`${what}: verify threw ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
      try {
        key.verifyOrThrow(reqs[0]);
        if (!c.Valid) failures.push(`${what}: verifyOrThrow did not throw`);
      } catch (e) {
        const err = e as Error & { code?: string };
        if (c.Valid) failures.push(`${what}: verifyOrThrow threw ${err.name}: ${err.message}`);
        else if (err.name !== "KMSInvalidSignatureException" || err.code !== "KMSInvalidSignatureException") {
          failures.push(`${what}: verifyOrThrow threw ${err.name}/${err.code}`);
        }
      }
    });
    key.free();
    assert(failures.length === 0, `${failures.length} case(s) disagree:\n${failures.join("\n")}`);
  });
}

Deno.test("KMS rules throw KMS-named errors and the module keeps working", () => {
  const fx = fixtures.find((f) => f.name === "ECC_NIST_P256_SIGN_VERIFY");
  assert(fx, "ECC_NIST_P256_SIGN_VERIFY fixture missing");
  const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.data.GetPublicKey));
  const ok = fx.data.Signatures!.find((c) => c.Valid && (c.MessageType ?? "RAW") === "RAW")!;
  const base = { Message: b64bytes(ok.Message), Signature: ok.Signature, SigningAlgorithm: ok.SigningAlgorithm };
  const expectThrow = (fn: () => unknown, name: string) => {
    try {
      fn();
    } catch (e) {
      const err = e as Error & { code?: string };
      assert(err instanceof Error && err.name === name && err.code === name, `expected ${name}, got ${err.name}/${err.code}: ${err.message}`);
      return;
    }
    throw new Error(`expected ${name}, nothing thrown`);
  };
  expectThrow(() => key.verify({ ...base, Message: new Uint8Array(0) }), "ValidationException");
  expectThrow(() => key.verify({ ...base, Message: new Uint8Array(4097) }), "ValidationException");
  expectThrow(() => key.verify({ ...base, Message: new Uint8Array(31), MessageType: "DIGEST" }), "ValidationException");
  expectThrow(() => key.verify({ ...base, SigningAlgorithm: "ECDSA_SHA_384" }), "InvalidKeyUsageException");
  expectThrow(() => key.verify({ ...base, SigningAlgorithm: "NOT_AN_ALGORITHM" }), "ValidationException");
  assert(key.verify(base) === true, "valid signature after errors");
  key.free();
});

Deno.test("encrypt uses the host's randomness and WebCrypto decrypts it with the KMS private key", async () => {
  const fx = fixtures.find((f) => f.name === "RSA_2048_ENCRYPT_DECRYPT");
  assert(fx, "RSA_2048_ENCRYPT_DECRYPT fixture missing");
  const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.data.GetPublicKey));
  const plaintext = new TextEncoder().encode("kms-offline deno encrypt check");
  const a = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
  const b = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
  key.free();
  assert(a.CiphertextBlob.length === 256, `ciphertext length ${a.CiphertextBlob.length}`);
  assert(!a.CiphertextBlob.every((x, i) => x === b.CiphertextBlob[i]), "two encryptions are equal: no randomness?");
  const pem = (fx.data as unknown as { PrivateKeyPem: string }).PrivateKeyPem;
  const pkcs8 = b64bytes(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""));
  const priv = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]);
  for (const ct of [a.CiphertextBlob, b.CiphertextBlob]) {
    // the package's d.ts says Uint8Array (= Uint8Array<ArrayBufferLike>); WebCrypto's types want ArrayBuffer-backed views
    const pt = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "RSA-OAEP" }, priv, new Uint8Array(ct)));
    assert(pt === "kms-offline deno encrypt check", `decrypted ${pt}`);
  }
});

Deno.test("ECDH and ML-KEM made in Deno open with Deno's WebCrypto and @noble/post-quantum", async () => {
  const curves: Record<string, string> = { ECC_NIST_P256: "P-256", ECC_NIST_P384: "P-384", ECC_NIST_P521: "P-521" };
  const kems = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 } as const;
  let checked = 0;
  for (const fx of fixtures) {
    const g = fx.data.GetPublicKey;
    const extra = fx.data as unknown as { PrivateKeyPem?: string; PrivateKeySeed?: string };
    if (g.KeyUsage === "KEY_AGREEMENT" && curves[g.KeySpec]) {
      const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(g));
      const r = key.deriveSharedSecret({ KeyAgreementAlgorithm: "ECDH" });
      key.free();
      const namedCurve = curves[g.KeySpec];
      const pkcs8 = b64bytes(extra.PrivateKeyPem!.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""));
      const kmsPrivate = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDH", namedCurve }, false, ["deriveBits"]);
      const ours = await crypto.subtle.importKey("spki", new Uint8Array(r.PublicKey), { name: "ECDH", namedCurve }, false, []);
      const z = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: ours }, kmsPrivate, r.SharedSecret.length * 8));
      assert(z.length === r.SharedSecret.length && z.every((x, i) => x === r.SharedSecret[i]), `${fx.name}: WebCrypto Z differs`);
      checked++;
    } else if (g.KeyUsage === "ENCAPSULATE_DECAPSULATE") {
      const impl = kems[g.KeySpec as keyof typeof kems];
      const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(g));
      const r = key.encapsulate({ EncapsulationAlgorithm: "ML_KEM" });
      key.free();
      const { secretKey } = impl.keygen(b64bytes(extra.PrivateKeySeed!));
      const secret = impl.decapsulate(r.SharedSecretCiphertextBlob, secretKey);
      assert(secret.every((x, i) => x === r.SharedSecret[i]), `${fx.name}: noble decapsulates another secret`);
      checked++;
    }
  }
  assert(checked === 6, `checked ${checked} of 6 keys`);
});
