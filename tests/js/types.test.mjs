// The package's TypeScript declarations and packaging, checked on the packed tarball the way users and
// registries see them, offline, with the tools pinned in the root package.json:
//   - TypeScript 5.x and 7.x (the native compiler) type-check consumer programs that use the whole API, one
//     per entry (`kms-offline` and every single-family entry, `kms-offline/rsa` ... `kms-offline/verify-p256`) x module resolution (nodenext, ESM and CJS; bundler;
//     node10 with TypeScript 5 only, TypeScript 7 removed it) x lib (`["ES2022", "DOM"]`
//     without @types/node, and `["ES2022"]` with @types/node only), with `strict` and `skipLibCheck: false`;
//   - @arethetypeswrong/cli (node10, node16 ESM and CJS, bundler) and `publint --strict` report no problem;
//   - every export is declared once and named in both READMEs' API reference.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, outputDir, installPackedPackage } from '../browser/harness.mjs';

/** The JS file behind a devDependency's bin (run with this Node: no npx, no download). */
function binOf(pkgName, binName) {
  const manifest = path.join(REPO_ROOT, 'node_modules', pkgName, 'package.json');
  const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin[binName]);
}

function run(file, args, cwd) {
  const r = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const COMPILERS = {
  'TypeScript 5': binOf('typescript', 'tsc'),
  'TypeScript 7': binOf('typescript-7', 'tsc'),
};

const LIBS = {
  // A browser or bundler project: the DOM lib, no Node types at all.
  dom: { compilerOptions: { lib: ['ES2022', 'DOM'], types: [] }, jwkType: 'JsonWebKey' },
  // A Node project: @types/node only, no DOM lib.
  node: {
    compilerOptions: { lib: ['ES2022'], types: ['node'] },
    jwkType: "import('node:crypto').webcrypto.JsonWebKey",
    // A Node Readable is one of the documented DigestSources.
    mainExtra: "declare const readable: import('node:stream').Readable;\nexport const fromReadable: Promise<Uint8Array> = digestStream(new MessageDigest('SHA-256'), readable);\n",
  },
  // The newest lib, whose own Symbol.dispose the package's declaration of it must merge with (one resolution is enough).
  esnext: { compilerOptions: { lib: ['ESNext', 'DOM'], types: [] }, jwkType: 'JsonWebKey', resolutions: ['bundler'] },
};
const libsOf = (resolution) => Object.keys(LIBS).filter((lib) => LIBS[lib].resolutions?.includes(resolution) ?? true);

// The names each entry exports; the programs import every one of them.
const P256_VALUES = ['KmsPublicKey', 'MessageDigest'];
const P256_TYPES = ['KmsBlob', 'KmsKeyMetadata', 'GetPublicKeyOutput', 'VerifyRequest', 'VerifyResponse', 'KmsArn', 'KmsError', 'SignatureFormat'];
const MAIN_VALUES = [...P256_VALUES, 'ExternalMuDigest', 'derToP1363', 'p1363ToDer', 'normalizeLowS', 'digestStream', 'keccak256', 'hkdf', 'oneStepKdf'];
const MAIN_TYPES = [
  ...P256_TYPES,
  'KmsJwk', 'PublicJwk', 'JwsSigningRequestParams', 'JwsSigningRequest', 'VerifiedJws', 'VerifiedJwt', 'JwtValidationOptions',
  'DsseEnvelope', 'DsseVerifyOptions', 'DsseSignatureResult', 'VerifiedDsse', 'DsseSigningRequestParams', 'DssePending', 'DsseSigningRequest',
  'EthereumSignatureParams', 'EthereumSignature', 'StreamingDigest', 'DigestSource', 'EncryptRequest', 'EncryptResponse',
  'DeriveSharedSecretRequest', 'DeriveSharedSecretResponse', 'EncapsulateRequest', 'EncapsulateResponse', 'HkdfParams', 'OneStepKdfParams',
];

// What both entries have: load, verify (DER and P1363), the key's members, MessageDigest, errors.
const P256_USE = `
declare const cliJson: string;
declare const bytes: Uint8Array;
const metadata: KmsKeyMetadata = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'], KeyId: undefined };
const key: KmsPublicKey = KmsPublicKey.fromGetPublicKey(cliJson);
const fromSdk = KmsPublicKey.fromGetPublicKey({ ...metadata, PublicKey: bytes } satisfies GetPublicKeyOutput);
const fromPem = KmsPublicKey.fromPublicKey('-----BEGIN PUBLIC KEY-----', metadata);
const blob: KmsBlob = 'c2ln';
const format: SignatureFormat = 'P1363';
const request: VerifyRequest = { Message: bytes, Signature: blob, SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'RAW', SignatureFormat: format };
const valid: boolean = key.verify(request);
const response: VerifyResponse = key.verifyOrThrow({ ...request, SignatureFormat: 'DER' });
const signatureValid: true = response.SignatureValid;
const arn: KmsArn | undefined = key.arn;
const region: string | undefined = key.arn?.region;
const lists: string[] = [...key.signingAlgorithms, ...key.encryptionAlgorithms, ...key.keyAgreementAlgorithms, ...key.encapsulationAlgorithms];
const members: string[] = [key.keySpec, key.keyUsage, key.keyId ?? '', key.spkiPem(), key.fingerprint()];
const spki: Uint8Array = key.spkiDer();
const output: GetPublicKeyOutput = key.toJSON();
const digest = new MessageDigest('SHA-256');
digest.update(bytes);
const hashed: Uint8Array = digest.digest();
const forAlgorithm: MessageDigest = MessageDigest.forSigningAlgorithm('ECDSA_SHA_256');
let refusal: KmsError['name'] | undefined;
try {
  key.verifyOrThrow(request);
} catch (e) {
  const error = e as KmsError;
  refusal = error.kmsRefusal ? error.code : error.name;
}
fromPem.free();
export const usedP256 = [fromSdk, valid, signatureValid, arn, region, lists, members, spki, output, hashed, forAlgorithm, refusal];
`;

// The main entry only: the async methods, encrypt, ECDH and KDFs, ML-KEM, the interop helpers.
const MAIN_USE = (jwkType) => `
declare const webCryptoJwk: ${jwkType};
declare const file: Blob;
declare const stream: ReadableStream<Uint8Array>;
declare const chunks: AsyncIterable<Uint8Array>;
export async function usedMain() {
  const asyncValid: boolean = await key.verifyAsync(request);
  const encryptRequest: EncryptRequest = { Plaintext: bytes, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
  const encrypted: EncryptResponse = key.encrypt(encryptRequest);
  const encryptedAsync: Uint8Array = (await key.encryptAsync(encryptRequest)).CiphertextBlob;
  const agreement: DeriveSharedSecretRequest = { KeyAgreementAlgorithm: 'ECDH', PrivateKey: blob };
  const derived: DeriveSharedSecretResponse = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
  const derivedAsync: DeriveSharedSecretResponse = await key.deriveSharedSecretAsync(agreement);
  const encapsulation: EncapsulateRequest = { EncapsulationAlgorithm: 'ML_KEM' };
  const encapsulated: EncapsulateResponse = key.encapsulate(encapsulation);
  const encapsulatedAsync: EncapsulateResponse = await key.encapsulateAsync(encapsulation);
  const hkdfParams: HkdfParams = { Hash: 'SHA-256', Ikm: derived.SharedSecret, Salt: bytes, Info: 'aW5mbw==', Length: 32 };
  const oneStepParams: OneStepKdfParams = { Hash: 'SHA-384', SharedSecret: derivedAsync.SharedSecret, FixedInfo: bytes, Length: 48 };
  const keys: Uint8Array[] = [hkdf(hkdfParams), oneStepKdf(oneStepParams), encapsulated.SharedSecret, encapsulatedAsync.SharedSecret, encrypted.CiphertextBlob, encryptedAsync];
  const p1363: Uint8Array = derToP1363(bytes, 'ECC_NIST_P256');
  const der: Uint8Array = p1363ToDer(p1363, 'ECC_NIST_P256');
  const lowS: Uint8Array[] = [normalizeLowS(der, 'ECC_SECG_P256K1'), normalizeLowS(p1363, 'ECC_NIST_P256', format)];
  const keccak: Uint8Array = keccak256(bytes);
  const sources: DigestSource[] = [file, stream, chunks, [bytes]];
  const streaming: StreamingDigest = MessageDigest.forSigningAlgorithm('ECDSA_SHA_384');
  const streamed: Uint8Array = await digestStream(streaming, file);
  await digestStream(key.sm2Digest(), stream);
  await digestStream(key.sm2Digest('1234567812345678'), chunks);
  const mu: ExternalMuDigest = key.externalMuDigest();
  const muType: string = mu.messageType;
  const streamedMu: Uint8Array = await digestStream(mu, [bytes]);
  const mu64: Uint8Array = key.externalMu(bytes);
  const jwsValid: boolean = key.verifyJws('a.b.c');
  const jws: VerifiedJws = key.verifyJwsOrThrow('a.b.c');
  const claimChecks: JwtValidationOptions = { Issuer: 'issuer', Audience: ['audience'], ClockTolerance: 30, CurrentTime: new Date(), RequireExp: true };
  const jwts: VerifiedJwt[] = [key.verifyJwt('a.b.c'), key.verifyJwt('a.b.c', claimChecks)];
  const signingParams: JwsSigningRequestParams = { Payload: { sub: 'me' }, Alg: 'ES256', ProtectedHeader: { typ: 'JWT' }, MessageType: 'RAW' };
  const signing: JwsSigningRequest = key.jwsSigningRequest(signingParams);
  const sign: { KeyId: string | undefined; Message: Uint8Array } = signing.SignRequest;
  const token: string = key.assembleJws(signing.SigningInput, bytes);
  const dsseOptions: DsseVerifyOptions = { SigningAlgorithm: 'ECDSA_SHA_256', IgnoreKeyId: false };
  const envelope: DsseEnvelope = { payload: '', payloadType: 't', signatures: [{ keyid: '', sig: 'AA==' }] };
  const dsse: VerifiedDsse[] = [key.verifyDsse(envelope), key.verifyDsse('{}', dsseOptions), key.verifyDsseOrThrow(bytes)];
  const dsseStatus: DsseSignatureResult['Status'] = dsse[0].Signatures[0].Status;
  const dsseParams: DsseSigningRequestParams = { PayloadType: 't', Payload: { _type: 'x' }, SigningAlgorithm: 'ECDSA_SHA_256' };
  const dsseRequest: DsseSigningRequest = key.dsseSigningRequest(dsseParams);
  const pending: DssePending = dsseRequest.Pending;
  const envelopeJson: string = key.assembleDsse(pending, bytes, { KeyId: 'k' });
  const address: string = key.ethereumAddress();
  const ethereumParams: EthereumSignatureParams = { Digest: keccak, Signature: der };
  const ethereum: EthereumSignature = key.ethereumSignature(ethereumParams);
  const v: 27 | 28 = ethereum.V;
  const jwk: KmsJwk = key.toJwk();
  const publicJwk: PublicJwk = jwk;
  const fromJwk: KmsPublicKey[] = [KmsPublicKey.fromJwk(jwk, metadata), KmsPublicKey.fromJwk(webCryptoJwk, metadata), KmsPublicKey.fromJwk(JSON.stringify(publicJwk), metadata)];
  return [asyncValid, keys, lowS, sources, streamed, muType, streamedMu, mu64, jwsValid, jws, jwts, sign, token, address, v, fromJwk];
}
`;

/** ESM source: named imports of values and `import type` of types. */
const esmHeader = (specifier, values, types) =>
  `import { ${values.join(', ')} } from '${specifier}';\nimport type { ${types.join(', ')} } from '${specifier}';\n`;
/** CommonJS source (a .cts under node16/nodenext): `import x = require()`, types (and the classes' instance
 *  types) through the namespace. */
const CLASSES = ['KmsPublicKey', 'MessageDigest', 'ExternalMuDigest'];
const cjsHeader = (specifier, values, types) =>
  `import lib = require('${specifier}');\nconst { ${values.join(', ')} } = lib;\n` +
  [...values.filter((v) => CLASSES.includes(v)), ...types].map((t) => `type ${t} = lib.${t};`).join('\n') + '\n';

// The package's entries: the main one and every single-family one (scripts/build.sh FAMILY_ENTRIES); each family
// entry declares what every build has (P256_VALUES, P256_TYPES), which the P-256 program uses.
const FAMILY_ENTRIES = ['verify-p256', 'rsa', 'p256', 'p384', 'p521', 'secp256k1', 'sm2', 'ed25519', 'ml-dsa', 'ml-kem'];
const ENTRIES = ['main', ...FAMILY_ENTRIES];
const distDirOf = (entry) => (entry === 'main' ? 'dist' : `dist/${entry}`);

function program(entry, header, lib) {
  return entry === 'main'
    ? header('kms-offline', MAIN_VALUES, MAIN_TYPES) + P256_USE + MAIN_USE(LIBS[lib].jwkType) + (LIBS[lib].mainExtra ?? '')
    : header(`kms-offline/${entry}`, P256_VALUES, P256_TYPES) + P256_USE;
}

// Each resolution: its compiler options, its source files (name -> header), and the declaration file each
// entry must resolve to.
const RESOLUTIONS = {
  nodenext: { options: { module: 'nodenext', moduleResolution: 'nodenext' }, files: { mts: esmHeader, cts: cjsHeader }, dts: ['node.d.mts', 'node.d.cts'] },
  bundler: { options: { module: 'esnext', moduleResolution: 'bundler' }, files: { ts: esmHeader }, dts: ['web.d.ts'] },
  // Classic resolution: `types` for the main entry, `typesVersions` for the subpath. TypeScript 7 removed it.
  node10: { options: { module: 'commonjs', moduleResolution: 'node10' }, files: { ts: esmHeader }, dts: ['web.d.ts'], compilers: ['TypeScript 5'] },
};

describe('TypeScript declarations and packaging of the packed package', () => {
  const work = path.join(outputDir('types'), 'work');
  let pkg;

  before(() => {
    pkg = installPackedPackage(work);
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { 'kms-offline': '0.1.0' } }));
    for (const [resolution, { options, files }] of Object.entries(RESOLUTIONS)) {
      for (const lib of libsOf(resolution)) {
        const dir = path.join(work, `${resolution}-${lib}`);
        fs.mkdirSync(dir, { recursive: true });
        const names = [];
        for (const [ext, header] of Object.entries(files)) {
          for (const entry of ENTRIES) {
            names.push(`${entry}.${ext}`);
            fs.writeFileSync(path.join(dir, `${entry}.${ext}`), program(entry, header, lib));
          }
        }
        const compilerOptions = { ...options, ...LIBS[lib].compilerOptions, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false };
        fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: names }, null, 2));
      }
    }
  });

  for (const [resolution, { dts, compilers = Object.keys(COMPILERS) }] of Object.entries(RESOLUTIONS)) {
    for (const compiler of compilers) {
      for (const lib of libsOf(resolution)) {
        it(`${compiler}, moduleResolution ${resolution}, lib ${JSON.stringify(LIBS[lib].compilerOptions.lib)}${lib === 'node' ? ' + @types/node' : ''}: every entry type-checks`, () => {
          const dir = path.join(work, `${resolution}-${lib}`);
          const { status, output } = run(COMPILERS[compiler], ['-p', dir, '--listFiles'], dir);
          assert.equal(status, 0, `${compiler} found type errors:\n${output}`);
          for (const entry of ENTRIES.map(distDirOf)) {
            for (const file of dts) assert.ok(output.includes(path.join(pkg.dir, entry, file)), `${entry}/${file} was not used:\n${output}`);
          }
          assert.equal(output.includes('@types/node'), lib === 'node', 'only the node lib variant loads @types/node');
        });
      }
    }
  }

  it('@arethetypeswrong/cli finds no problem in any entry under node10, node16 (ESM and CJS) and bundler', () => {
    const attw = binOf('@arethetypeswrong/cli', 'attw');
    const { status, output } = run(attw, [pkg.tarball, '--format', 'json', '--no-definitely-typed'], work);
    const report = JSON.parse(output);
    assert.deepEqual(report.analysis.problems, [], output);
    assert.equal(status, 0, output);
    const resolved = (subpath) => Object.fromEntries(Object.entries(report.analysis.entrypoints[subpath].resolutions).map(([kind, r]) => [kind, r.resolution?.fileName]));
    for (const entry of FAMILY_ENTRIES) {
      assert.deepEqual(resolved(`./${entry}`), {
        node10: `/node_modules/kms-offline/dist/${entry}/web.d.ts`,
        'node16-cjs': `/node_modules/kms-offline/dist/${entry}/node.d.cts`,
        'node16-esm': `/node_modules/kms-offline/dist/${entry}/node.d.mts`,
        bundler: `/node_modules/kms-offline/dist/${entry}/web.d.ts`,
      }, entry);
    }
  });

  it('publint --strict passes on the packed tarball', () => {
    const { status, output } = run(binOf('publint', 'publint'), ['--strict', pkg.tarball], work);
    assert.equal(status, 0, output);
    assert.match(output, /All good!/);
  });
});

/** Names exported by a declaration file: classes, functions, interfaces, types, consts. */
function exportedNames(dtsText) {
  return [...dtsText.matchAll(/^export (?:declare )?(?:class|function|interface|type|const|let) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
}

/** The public members of each exported class (methods, static methods, getters). */
function classMembers(dtsText) {
  const members = [];
  for (const m of dtsText.matchAll(/^export class (\w+) \{\n([\s\S]*?)^\}/gm)) {
    for (const member of m[2].matchAll(/^ {4}(?:static |readonly )?(\w+)\(?/gm)) {
      if (!['free', 'constructor', 'private'].includes(member[1])) members.push(`${m[1]}.${member[1]}`);
    }
  }
  return members;
}

const dtsFiles = () => {
  const dist = path.join(REPO_ROOT, 'pkg', 'dist');
  return ['', ...FAMILY_ENTRIES.map((e) => `${e}/`)].flatMap((dir) => ['web.d.ts', 'node.d.cts', 'deno.d.ts'].map((f) => path.join(dist, dir + f)));
};

describe('declarations and documentation', () => {
  it('every export is declared once: no overloads, no interface merged into a class', () => {
    for (const file of dtsFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const names = exportedNames(text);
      const repeated = names.filter((n, i) => names.indexOf(n) !== i);
      assert.deepEqual(repeated, [], `${path.relative(REPO_ROOT, file)} declares these more than once`);
    }
  });

  it('the ESM declarations of Node re-export the CommonJS ones', () => {
    for (const dir of ['', ...FAMILY_ENTRIES.map((e) => `${e}/`)]) {
      assert.equal(fs.readFileSync(path.join(REPO_ROOT, 'pkg', 'dist', dir, 'node.d.mts'), 'utf8'), 'export * from "./node.cjs";\n');
    }
  });

  for (const readme of ['README.md', 'pkg/README.md']) {
    it(`${readme}: its API reference names every export and every method of the main entry`, () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, readme), 'utf8');
      const start = text.search(/^#+ API reference/m);
      assert.ok(start >= 0, `${readme} has no "API reference" section`);
      const level = text.slice(start).match(/^#+/)[0];
      const rest = text.slice(start + level.length);
      const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
      const reference = end < 0 ? rest : rest.slice(0, end);
      const dts = fs.readFileSync(path.join(REPO_ROOT, 'pkg', 'dist', 'web.d.ts'), 'utf8');
      const wanted = [...exportedNames(dts), ...classMembers(dts).map((m) => m.split('.')[1])];
      assert.ok(wanted.includes('fromJwk') && wanted.includes('SignatureFormat') && wanted.includes('normalizeLowS'), wanted.join(' '));
      assert.ok(!reference.includes('```'), 'the API reference has no fenced block (its code spans are read by counting backticks)');
      const codeSpans = reference.split('`').filter((_, i) => i % 2 === 1);
      const missing = wanted.filter((name) => !codeSpans.some((span) => new RegExp(`\\b${name}\\b`).test(span)));
      assert.deepEqual(missing, [], `${readme} API reference does not name these exports`);
    });
  }
});
