// kms-offline page. Every KMS decision is the library's: this file reads what the person gives, calls
// KmsPublicKey / MessageDigest / hkdf / oneStepKdf, and shows what they return or the KMS exception they throw.
// It hides actions the key's usage does not allow (unless asked to show everything); the library is the referee.

import { messages, lang, setLanguage } from './messages.js';
import { streamingDigest } from './hashing.js';
// The package's sentences: the language choice and the explanation of its errors in either language.
import { pickLanguage, errorMessage } from '../pkg/messages/index.js';

const $ = (id) => document.getElementById(id);
const boot = $('boot');

// ---------------------------------------------------------------------------------------------------------
// Language: the remembered choice, else the browser's languages (ja-* gives Japanese), else English.

const LANGUAGE_STORAGE_KEY = 'kms-offline.lang';
/** localStorage can be unavailable (storage disabled, opaque origins): the choice is then not remembered. */
function rememberedLanguage() {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}
function rememberLanguage(language) {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    /* not remembered: the page still switches */
  }
}

/** The AWS documentation links point at the chosen language's edition (ja_jp for Japanese). */
const AWS_DOCS = 'https://docs.aws.amazon.com/';
function localizedAwsHref(href, language) {
  const path = href.slice(AWS_DOCS.length).replace(/^ja_jp\//, '');
  return AWS_DOCS + (language === 'ja' ? 'ja_jp/' : '') + path;
}

/** The static texts of index.html, named by key, in the chosen language. */
function applyStaticTexts() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = messages[el.dataset.i18n];
  // Sentences with inline markup (<code>, <em>) come from the page's own tables, never from input.
  for (const el of document.querySelectorAll('[data-i18n-html]')) el.innerHTML = messages[el.dataset.i18nHtml];
  for (const el of document.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', messages[el.dataset.i18nAriaLabel]);
  for (const a of document.querySelectorAll(`a[href^="${AWS_DOCS}"]`)) a.href = localizedAwsHref(a.getAttribute('href'), lang);
  for (const b of document.querySelectorAll('#lang-switch [data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  boot.textContent = typeof bootText === 'function' ? bootText() : bootText;
}

/** What the status line says, as a sentence of the current language (re-read on a language switch). */
let bootText = () => messages.loading;
function setBoot(text) {
  bootText = text;
  boot.textContent = text();
}

setLanguage(pickLanguage([rememberedLanguage(), ...(navigator.languages ?? [navigator.language])]));
applyStaticTexts();

let lib;
try {
  // The package's web entry, served from this origin; it loads kms_offline_bg.wasm from beside itself.
  lib = await import('../pkg/dist/web.js');
} catch (e) {
  setBoot(() => messages.loadFailed(e && e.message));
  boot.classList.add('bad');
  throw e;
}
const { KmsPublicKey, hkdf, oneStepKdf } = lib;
/** KeySpec → KeyUsage → the algorithms KMS allows for them (KMS-RULES §2.1), from the library's key spec table. */
const KEY_SPEC_RULES = KmsPublicKey.keySpecRules();

// ---------------------------------------------------------------------------------------------------------
// KMS vocabulary (names only, for the menus: which combination is allowed is the library's decision)

// In the library's (KMS's enum) order, but SM2 last: its keys exist only in the China Regions.
const KEY_SPECS = Object.keys(KEY_SPEC_RULES).sort((a, b) => (a === 'SM2') - (b === 'SM2'));
const USAGES = {
  SIGN_VERIFY: {
    member: 'SigningAlgorithms', getter: 'signingAlgorithms', action: 'verify',
    values: [
      'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
      'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
      'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256', 'ED25519_SHA_512', 'ED25519_PH_SHA_512',
    ],
  },
  ENCRYPT_DECRYPT: {
    member: 'EncryptionAlgorithms', getter: 'encryptionAlgorithms', action: 'encrypt',
    values: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE', 'SYMMETRIC_DEFAULT'],
  },
  KEY_AGREEMENT: { member: 'KeyAgreementAlgorithms', getter: 'keyAgreementAlgorithms', action: 'derive', values: ['ECDH'] },
  ENCAPSULATE_DECAPSULATE: { member: 'EncapsulationAlgorithms', getter: 'encapsulationAlgorithms', action: 'encapsulate', values: ['ML_KEM'] },
};
// The page reads RAW messages and plaintexts whole, up to this size (DIGEST and EXTERNAL_MU files stream).
const WHOLE_LIMIT = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

/**
 * Bad input that is not a KMS rule (e.g. invalid base64): shown as "Check the input". `sentence` gives the
 * explanation in the current language (the box is redrawn when the language changes).
 */
class InputError extends Error {
  constructor(sentence) {
    super(sentence());
    this.name = 'InputError';
    this.sentence = sentence;
  }
}

/** Hashing a file was cancelled (the Cancel button, or the key it was for was dropped). */
class Cancelled extends Error {
  constructor() {
    super(messages.cancelled);
    this.name = 'Cancelled';
  }
}

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
function toB64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromB64(text, what) {
  let s = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s) || s.length % 4 === 1) throw new InputError(() => messages.notBase64(messages.what[what]));
  s = s.replace(/-/g, '+').replace(/_/g, '/');
  while (s.length % 4) s += '=';
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function fromHex(text, what) {
  const s = text.replace(/[\s:]+/g, '').replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new InputError(() => messages.notHex(messages.what[what]));
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
const utf8 = (s) => new TextEncoder().encode(s);
function utf8OrNull(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
const looksBase64 = (t) => /^[A-Za-z0-9+/=\s]+$/.test(t) && t.trim().length > 0;
const radio = (name) => document.querySelector(`input[name="${name}"]:checked`).value;
const fmtBytes = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : messages.bytes(n));
const shq = (s) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`);

function decodeAs(kind, text, what) {
  if (kind === 'hex') return fromHex(text, what);
  if (kind === 'base64') return fromB64(text, what);
  return utf8(text);
}

async function readWhole(file, what) {
  if (!file) throw new InputError(() => messages.chooseA(messages.what[what]));
  if (file.size > WHOLE_LIMIT) {
    throw new InputError(() => messages.tooBigWhole(file.name, fmtBytes(file.size), messages.what[what], fmtBytes(WHOLE_LIMIT)));
  }
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * The box for an error. The library's errors carry the KMS exception name and kmsRefusal: true when KMS itself
 * would refuse the request with that exception (a KMS rule), false for a local input error (not base64, not a
 * public key, any refusal while loading a key). Only a KMS refusal says that KMS would refuse.
 */
function errorBox(e) {
  const name = e && typeof e.name === 'string' ? e.name : 'Error';
  if (e && e.kmsRefusal === true) {
    return h('div', { class: 'result bad', role: 'alert', 'data-outcome': 'error', 'data-exception': name },
      h('p', { class: 'big' }, messages.refused, h('span', { class: 'exc' }, name)),
      ...explanation(e),
      h('p', {}, messages.kmsWouldRefuse));
  }
  if (e instanceof InputError) {
    return h('div', { class: 'result bad', role: 'alert', 'data-outcome': 'input-error' },
      h('p', { class: 'big' }, messages.checkInput), h('p', { class: 'rule' }, e.sentence()));
  }
  if (e && e.kmsRefusal === false) {
    return h('div', { class: 'result bad', role: 'alert', 'data-outcome': 'input-error', 'data-exception': name },
      h('p', { class: 'big' }, `${messages.checkInput}: `, h('span', { class: 'exc' }, name)),
      ...explanation(e),
      h('p', {}, messages.inputErrorNote));
  }
  if (!e?.unexpectedLogged) {
    console.error(e);
    if (e && typeof e === 'object') e.unexpectedLogged = true; // redrawn in another language: logged once
  }
  return h('div', { class: 'result bad', role: 'alert', 'data-outcome': 'error', 'data-exception': name },
    h('p', { class: 'big' }, messages.unexpected(name)), ...explanation(e));
}

/**
 * A library error's explanation in the current language (pkg/messages errorMessage), and in Japanese the library's
 * English original beside it (原文), unless the Japanese sentence already quotes it.
 */
function explanation(e, paragraph = (sentence) => h('p', { class: 'rule' }, sentence)) {
  const original = e && e.message ? e.message : String(e);
  const sentence = errorMessage(e, lang);
  // Code in a Japanese sentence is written between backquotes (pkg/messages): shown as code.
  if (sentence !== original && sentence.indexOf(original) < 0 && sentence.includes('`')) {
    const parts = sentence.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));
    return [paragraph(parts), h('p', { class: 'original' }, `${messages.original}: `, h('span', { lang: 'en' }, original))];
  }
  if (sentence === original) return [paragraph(original)];
  // A Japanese sentence that quotes the English original: the quote is marked as English.
  const at = sentence.indexOf(original);
  if (at >= 0) {
    return [paragraph([sentence.slice(0, at), h('span', { lang: 'en' }, original), sentence.slice(at + original.length)])];
  }
  return [paragraph(sentence), h('p', { class: 'original' }, `${messages.original}: `, h('span', { lang: 'en' }, original))];
}

/** The key a result was computed with, as the key card shows it: KeyId and SHA-256 fingerprint. */
function usedKey(key) {
  const fingerprint = key.fingerprint();
  return h('dl', { class: 'kv used-key', 'data-key-fingerprint': fingerprint },
    h('dt', {}, messages.keyIdRow), h('dd', {}, key.keyId ?? messages.noKeyId),
    h('dt', {}, messages.fingerprintRow), h('dd', {}, fingerprint));
}

/** Each output's render function: a language switch draws it again in the new language. */
const renders = new Map();

/** Puts what `render` returns (a node or a list) in `out`; without `render`, empties it. */
function show(out, render) {
  if (render) renders.set(out, render);
  else renders.delete(out);
  out.replaceChildren(...(render ? [render()].flat() : []));
}

function redrawOutputs() {
  for (const [out, render] of renders) out.replaceChildren(...[render()].flat());
}

function copyButton(label, getText) {
  const b = h('button', { type: 'button', class: 'small' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getText());
      b.textContent = messages.copied;
    } catch {
      b.textContent = messages.copyFailed;
    }
    setTimeout(() => (b.textContent = label), 1500);
  });
  return b;
}

const blobUrls = [];
/** A download link for bytes: one blob URL, and a function that draws the link (again) in the current language. */
function downloadLink(bytes, filename) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  blobUrls.push(url);
  return () => h('a', { href: url, download: filename, class: 'button-link' }, messages.download(filename));
}

function outputField(id, label, value, rows = 4) {
  return h('div', { class: 'outfield' },
    h('label', { for: id }, label),
    h('textarea', { id, rows: String(rows), readonly: true, spellcheck: 'false' }, value));
}

function commandBlock(id, intro, command) {
  return h('div', {},
    h('p', {}, intro),
    h('pre', { class: 'cmd', id, tabindex: '0', 'aria-label': intro }, command),
    h('div', { class: 'buttons' }, copyButton(messages.copyCommand, () => command)));
}

// ---------------------------------------------------------------------------------------------------------
// Offline caveats (AWS, "Special considerations for downloading public keys"; KMS-RULES §7)

/** Which protections this key loses is the library's list (key.offlineCaveats()); the page words each code. */
function caveats(key) {
  const { codes, forEncryption } = key.offlineCaveats();
  const worded = {
    authorization: messages.caveatPolicy,
    'usage-and-algorithms': messages.caveatUsage(key.keyUsage, forEncryption),
    'disable-and-delete': messages.caveatDisable(forEncryption),
    logging: messages.caveatCloudTrail,
    'sm2-signing': messages.caveatSm2,
    sm2: messages.caveatSm2,
    'shared-secret': messages.caveatRawSecret,
    'implicit-rejection': messages.caveatImplicitRejection,
  };
  return codes.map((code) => worded[code]);
}

// ---------------------------------------------------------------------------------------------------------
// State

const state = {
  key: null, // the KmsPublicKey the key card shows; every action uses exactly this key
  generation: 0, // bumped whenever the shown key changes or is dropped: late results of an older key are discarded
  sample: null, // the sample index entry when a sample is loaded
  der: null, // bytes of a binary DER key file waiting for its metadata
  derName: null,
  derived: null, // { SharedSecret, PublicKey } of the last derive
  fileWork: null, // { cancel } of the file being hashed or encrypted in a worker (runFileWorker)
  card: null, // { sampleNote, loadedFrom } the key card was drawn with (drawn again on a language switch)
};

// ---------------------------------------------------------------------------------------------------------
// Loading a key

const keyText = $('key-text');
const meta = $('meta');
const KEY_TEXT_PLACEHOLDER = keyText.placeholder;

/** What the key text (or a binary file) is: empty, json, jwk, pem (PEM or base64 DER), der, or not-a-key. */
function keyForm() {
  if (state.der) return 'der';
  const t = keyText.value.trim();
  if (!t) return 'empty';
  if (t.startsWith('{')) {
    // A public JWK ("kty", no "PublicKey") carries no KMS metadata, like a PEM key.
    try {
      const o = JSON.parse(t);
      if (o && typeof o.kty === 'string' && !('PublicKey' in o)) return 'jwk';
    } catch {
      /* not JSON yet: the library will say so */
    }
    return 'json';
  }
  if (t.includes('-----BEGIN') || looksLikeBase64Der(t)) return 'pem';
  return 'not-a-key';
}

/** Base64 whose first byte is a DER SEQUENCE, as every SubjectPublicKeyInfo is (a word like "hello" is not). */
function looksLikeBase64Der(text) {
  if (!looksBase64(text)) return false;
  try {
    return fromB64(text, 'key')[0] === 0x30;
  } catch {
    return false;
  }
}

const needsMetadata = (form) => form === 'pem' || form === 'der' || form === 'jwk';

function updateMetaVisibility() {
  meta.hidden = !needsMetadata(keyForm());
  scheduleDetection();
}

function fillMetaSelects() {
  const spec = $('meta-spec');
  const chosen = spec.value;
  spec.replaceChildren(h('option', { value: '' }, messages.chooseKeySpec), ...KEY_SPECS.map((s) => h('option', { value: s }, s)));
  spec.value = chosen;
  renderMetaUsages();
}

/** The KeyUsage menu offers only the usages KMS allows for the chosen KeySpec (the only one is chosen for you). */
function renderMetaUsages() {
  const rules = KEY_SPEC_RULES[$('meta-spec').value];
  const usage = $('meta-usage');
  const previous = usage.value;
  usage.disabled = !rules;
  if (!rules) {
    usage.replaceChildren(h('option', { value: '' }, messages.chooseKeySpecFirst));
  } else {
    const usages = Object.keys(rules);
    usage.replaceChildren(
      ...(usages.length > 1 ? [h('option', { value: '' }, messages.chooseKeyUsage)] : []),
      ...usages.map((u) => h('option', { value: u }, u)),
    );
    if (usages.includes(previous)) usage.value = previous;
  }
  renderMetaAlgorithms();
}

/** The algorithm boxes list only what KMS lists for the chosen KeySpec and KeyUsage (checked when there is one). */
function renderMetaAlgorithms() {
  const spec = $('meta-spec').value;
  const usage = $('meta-usage').value;
  const box = $('meta-algs');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  const algorithms = KEY_SPEC_RULES[spec]?.[usage];
  if (!algorithms) {
    $('meta-algs-legend').textContent = messages.algorithmsChooseUsageFirst;
    box.replaceChildren();
    return;
  }
  $('meta-algs-legend').textContent = messages.algorithmsLegend(USAGES[usage].member);
  box.replaceChildren(
    ...algorithms.map((a) =>
      h('label', {}, h('input', { type: 'checkbox', value: a, name: 'meta-alg', checked: checked.has(a) || algorithms.length === 1 }), a),
    ),
  );
}

function metadata() {
  const m = {};
  const spec = $('meta-spec').value;
  const usage = $('meta-usage').value;
  if (spec) m.KeySpec = spec;
  if (usage) {
    m.KeyUsage = usage;
    const algs = [...$('meta-algs').querySelectorAll('input:checked')].map((i) => i.value);
    if (algs.length) m[USAGES[usage].member] = algs;
  }
  const keyId = $('meta-keyid').value.trim();
  if (keyId) m.KeyId = keyId;
  return m;
}

/** Loads the key text (or DER file) with the form's metadata; throws what the library throws. */
function loadFromForm(form, meta) {
  if (form === 'jwk') return KmsPublicKey.fromJwk(keyText.value, meta);
  if (form === 'der') return KmsPublicKey.fromPublicKey(state.der, meta);
  return KmsPublicKey.fromPublicKey(keyText.value.trim(), meta);
}

// Which KeySpec a metadata-less public key has, asked of the library: it loads the key with each KeySpec's first
// usage and its algorithms, and refuses every spec but the key's own. The hint then names that spec, and what KMS
// allows with it. (If the package gains a detectKeySpec, this becomes one call.)
let detectionTimer = 0;
function scheduleDetection() {
  clearTimeout(detectionTimer);
  detectionTimer = setTimeout(renderDetection, 150);
}

function detectKeySpecs(form) {
  const found = [];
  const reasons = new Map();
  for (const [spec, rules] of Object.entries(KEY_SPEC_RULES)) {
    const [usage, algorithms] = Object.entries(rules)[0];
    try {
      loadFromForm(form, { KeySpec: spec, KeyUsage: usage, [USAGES[usage].member]: algorithms }).free();
      found.push(spec);
    } catch (e) {
      // Kept by their English message (one entry per distinct reason); shown in the current language.
      reasons.set(e && e.message ? e.message : String(e), e);
    }
  }
  return { found, reasons: [...reasons.values()] };
}

function renderDetection() {
  const out = $('key-detected');
  const form = keyForm();
  if (form === 'not-a-key') {
    out.replaceChildren(h('p', { class: 'hint bad', 'data-detected': 'not-a-key' }, messages.notAPublicKey));
    return;
  }
  if (!needsMetadata(form)) {
    out.replaceChildren();
    return;
  }
  const { found, reasons } = detectKeySpecs(form);
  if (!found.length) {
    // The same reason from every spec is about the input itself (not PEM, not a public key...): show it.
    const sentence = reasons.length === 1 ? messages.detectedNone(errorMessage(reasons[0], lang)) : messages.detectedNoneOf(KEY_SPECS);
    out.replaceChildren(h('p', { class: 'hint bad', 'data-detected': '' }, sentence));
    return;
  }
  out.replaceChildren(
    ...found.map((spec) => {
      const uses = Object.entries(KEY_SPEC_RULES[spec]).map(([usage, algorithms]) => messages.detectedUse(usage, algorithms));
      return h('p', { class: 'hint', 'data-detected': spec },
        messages.detected(spec, uses.join(messages.or)), ' ',
        h('button', { type: 'button', class: 'small', onclick: () => useDetectedSpec(spec) }, messages.useDetected(spec)));
    }),
  );
}

function useDetectedSpec(spec) {
  $('meta-spec').value = spec;
  renderMetaUsages();
  metadataEdited();
  $('meta-usage').focus();
}

/** Drops the loaded key, with every result computed for it and the actions' file choices. */
function clearKey() {
  cancelFileWork();
  if (state.key) state.key.free();
  state.key = null;
  state.generation += 1;
  resetOutputs();
  $('card').hidden = true;
  $('actions').hidden = true;
  for (const url of blobUrls.splice(0)) URL.revokeObjectURL(url);
}

/**
 * The key text, the key file, the metadata or the sample changed: the loaded key no longer is what the page shows,
 * so it is dropped with every result and error computed for it, and the file pickers of the actions are reset.
 */
function dropKey() {
  clearKey();
  show($('load-error'));
  state.sample = null;
  markSample(null);
}

function loadKey() {
  const out = $('load-error');
  show(out);
  const form = keyForm();
  let key;
  let sampleNote;
  let loadedFrom;
  try {
    if (form === 'empty') throw new InputError(() => messages.pasteAKey);
    if (form === 'not-a-key') throw new InputError(() => messages.notAPublicKey);
    if (form === 'json') {
      const text = keyText.value;
      try {
        const obj = JSON.parse(text);
        if (obj && typeof obj.Sample === 'string') sampleNote = obj.Sample;
      } catch {
        /* the library reports bad JSON in its own words */
      }
      key = KmsPublicKey.fromGetPublicKey(text);
      loadedFrom = () => messages.loadedFromJson;
    } else {
      key = loadFromForm(form, metadata());
      const derName = state.derName;
      const pem = keyText.value.includes('-----BEGIN');
      if (form === 'jwk') loadedFrom = () => messages.loadedFromJwk;
      else if (form === 'der') loadedFrom = () => messages.loadedFromDer(derName);
      else loadedFrom = () => messages.loadedFromPem(pem);
    }
  } catch (e) {
    clearKey();
    show(out, () => errorBox(e));
    return false;
  }
  clearKey();
  state.key = key;
  if (!sampleNote) state.sample = null;
  state.card = { sampleNote, loadedFrom };
  renderCard(key, sampleNote, loadedFrom);
  renderActions({ fresh: true });
  $('card').hidden = false;
  $('actions').hidden = false;
  return true;
}

async function handleKeyFile(file) {
  dropKey();
  const out = $('load-error');
  if (!file) return;
  if (file.size > 1 << 20) {
    const tooBig = new InputError(() => messages.keyFileTooBig(file.name, fmtBytes(file.size)));
    show(out, () => errorBox(tooBig));
    return;
  }
  const generation = state.generation;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (generation !== state.generation) return; // another key was chosen meanwhile
  const text = utf8OrNull(bytes);
  if (text !== null && (text.trim().startsWith('{') || text.includes('-----BEGIN') || looksBase64(text))) {
    state.der = null;
    keyText.value = text;
    keyText.placeholder = KEY_TEXT_PLACEHOLDER;
  } else {
    state.der = bytes;
    state.derName = file.name;
    keyText.value = '';
    keyText.placeholder = messages.derPlaceholder(file.name, bytes.length);
  }
  updateMetaVisibility();
  if (keyForm() === 'json') loadKey();
  else $('meta-spec').focus();
}

// ---------------------------------------------------------------------------------------------------------
// The key card

function renderCard(key, sampleNote, loadedFrom) {
  const banner = $('card-sample');
  banner.hidden = !sampleNote;
  banner.textContent = sampleNote ? messages.sampleBanner(sampleNote) : '';
  const dl = $('card-fields');
  const label = messages.cardField;
  const row = (name, value, attrs = {}) => [h('dt', {}, name), h('dd', attrs, value)];
  const algs = Object.values(USAGES)
    .map((u) => [u.member, key[u.getter]])
    .filter(([, l]) => l.length);
  const arn = key.arn;
  dl.replaceChildren(
    ...row(label.KeySpec, key.keySpec, { 'data-field': 'KeySpec' }),
    ...row(label.KeyUsage, key.keyUsage, { 'data-field': 'KeyUsage' }),
    ...algs.flatMap(([member, l]) => row(label[member], l.map((a) => h('span', { class: 'alg' }, a)), { 'data-field': member })),
    ...row(label.KeyId, key.keyId ?? messages.noKeyId, { 'data-field': 'KeyId' }),
    ...(arn
      ? [
          ...row(label.Partition, arn.partition, { 'data-field': 'Partition' }),
          ...row(label.Region, arn.region, { 'data-field': 'Region' }),
          ...row(label.Account, arn.accountId, { 'data-field': 'Account' }),
          ...row(arn.resourceType === 'alias' ? label.Alias : label.ResourceId, arn.resourceId, { 'data-field': 'ResourceId' }),
        ]
      : []),
    ...row(label.Fingerprint, [key.fingerprint(), h('br'), h('span', { class: 'hint' }, messages.fingerprintNote)], { 'data-field': 'Fingerprint' }),
    ...row(label.LoadedFrom, loadedFrom()),
  );
  $('card-pem').textContent = key.spkiPem();
  $('card-caveats').replaceChildren(...caveats(key).map(([t, text]) => h('li', {}, h('strong', {}, `${t}:`), text)));
}

// ---------------------------------------------------------------------------------------------------------
// Actions

// The algorithm a fresh key starts with when it lists it: Encrypt defaults to RSAES_OAEP_SHA_256, which AWS
// recommends ("we recommend RSAES_OAEP_SHA_256"); otherwise the key's first algorithm.
const PREFERRED_ALGORITHMS = ['RSAES_OAEP_SHA_256'];

function fillAlgorithmSelect(select, usage, showAll, fresh) {
  const key = state.key;
  const allowed = key[USAGES[usage].getter];
  const previous = fresh ? PREFERRED_ALGORITHMS.find((a) => allowed.includes(a)) : select.value;
  const options = allowed.map((a) => h('option', { value: a }, a));
  const others = USAGES[usage].values.filter((a) => !allowed.includes(a));
  const children = [...options];
  if (showAll && others.length) {
    children.push(h('optgroup', { label: messages.notAllowedGroup }, others.map((a) => h('option', { value: a }, a))));
  }
  if (!children.length) children.push(h('option', { value: '' }, messages.listsNone));
  select.replaceChildren(...children);
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
}

function renderActions({ fresh = false } = {}) {
  const key = state.key;
  const showAll = $('show-all').checked;
  for (const [usage, u] of Object.entries(USAGES)) {
    $(u.action).hidden = !(showAll || key.keyUsage === usage);
  }
  fillAlgorithmSelect($('v-alg'), 'SIGN_VERIFY', showAll, fresh);
  $('signed').hidden = !(showAll || key.keyUsage === 'SIGN_VERIFY');
  fillAlgorithmSelect($('s-alg'), 'SIGN_VERIFY', showAll, fresh);
  fillAlgorithmSelect($('e-alg'), 'ENCRYPT_DECRYPT', showAll, fresh);
  fillAlgorithmSelect($('d-alg'), 'KEY_AGREEMENT', showAll, fresh);
  fillAlgorithmSelect($('m-alg'), 'ENCAPSULATE_DECAPSULATE', showAll, fresh);
  renderEncryptFile(key, showAll, fresh);
  $('v-sample').hidden = !(state.sample && state.sample.signature);
}

function resetOutputs() {
  for (const id of ['v-out', 'e-out', 'd-out', 'k-out', 'm-out', 's-out', 'ef-out', 'ef-refusal']) show($(id));
  for (const id of ['v-file', 'v-sig-file', 'e-file', 's-file', 'ef-file']) $(id).value = '';
  revokeEncryptedUrl();
  $('kdf-form').hidden = true;
  state.derived = null;
}

function syncSource(prefix) {
  const src = radio(`${prefix}-src`);
  const form = $(`${prefix === 'v' ? 'verify' : 'encrypt'}-form`);
  form.querySelector('[data-src="text"]').hidden = src === 'file';
  form.querySelector('[data-src="file"]').hidden = src !== 'file';
  const label = form.querySelector('[data-src="text"] label');
  const what = prefix === 'v' ? messages.messageLabel : messages.plaintextLabel;
  label.textContent = src === 'text' ? what : messages.sourceLabel(what, messages.sourceNames[src]);
}

// Verify -----------------------------------------------------------------------------------------------

async function messageBytes() {
  const src = radio('v-src');
  if (src === 'file') return readWhole($('v-file').files[0], 'messageFile');
  return decodeAs(src, $('v-msg').value, 'message');
}

async function doVerify() {
  const out = $('v-out');
  // The key card's key, and its generation: if the key is replaced or dropped while this runs, the result is
  // not shown (it would be about a key the page no longer shows).
  const key = state.key;
  const generation = state.generation;
  const current = () => generation === state.generation;
  const alg = $('v-alg').value;
  const type = radio('v-type');
  const prehashed = $('v-prehashed').checked;
  const sigText = $('v-sig').value.trim();
  if (!sigText) throw new InputError(() => messages.giveSignature);
  // Passed as text: the library reads it as canonical base64 of exactly this key's and algorithm's signature
  // size and refuses anything else (hex, base64url, text) saying what it looks like, never answering "invalid".
  const signature = sigText;
  const details = [];
  let message;
  if ((type === 'DIGEST' || type === 'EXTERNAL_MU') && !prehashed) {
    let n;
    if (radio('v-src') === 'file') {
      const file = $('v-file').files[0];
      if (!file) throw new InputError(() => messages.chooseA(messages.what.messageFile));
      try {
        message = await hashFileInWorker(out, file, key, alg, type);
      } catch (e) {
        if (!(e instanceof Cancelled)) throw e;
        if (current()) show(out, () => cancelledBox(messages.cancelled));
        return;
      }
      n = file.size;
    } else {
      const bytes = await messageBytes();
      const md = streamingDigest(lib, key, alg, type);
      try {
        md.update(bytes);
        message = md.digest();
      } finally {
        md.free();
      }
      n = bytes.length;
    }
    const digest = hex(message);
    details.push(() => [messages.messageRow, messages.hashedHere(fmtBytes(n))]);
    details.push(() => [type === 'EXTERNAL_MU' ? 'μ' : alg === 'SM2DSA' ? messages.sm2DigestRow : messages.digestRow, digest]);
  } else {
    message = await messageBytes();
    const n = message.length;
    details.push(() => [messages.messageRow, fmtBytes(n)]);
  }
  if (!current()) return;
  let failure = null;
  try {
    key.verifyOrThrow({ Message: message, Signature: signature, SigningAlgorithm: alg, MessageType: type });
  } catch (e) {
    if (!e || e.name !== 'KMSInvalidSignatureException') throw e;
    failure = e;
  }
  const kv = () => h('dl', { class: 'kv' },
    ...[[messages.algorithmRow, alg], [messages.messageTypeRow, type], ...details.map((row) => row())].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  if (!failure) {
    show(out, () => h('div', { class: 'result ok', 'data-outcome': 'valid' },
      h('p', { class: 'big' }, messages.valid),
      h('p', {}, messages.validNote), usedKey(key), kv()));
  } else {
    show(out, () => h('div', { class: 'result bad', 'data-outcome': 'invalid', 'data-exception': failure.name },
      h('p', { class: 'big' }, messages.invalid),
      ...explanation(failure, (sentence) => h('p', {}, messages.invalidAnswer, h('span', { class: 'exc' }, failure.name), ': ', sentence)),
      usedKey(key), kv()));
  }
}

/**
 * Hashes a message file in hash-worker.js (a module worker with its own copy of the package), showing the bytes
 * done, the percentage and a Cancel button in `out`. Resolves to the digest; rejects with Cancelled when the
 * person cancels or the key is dropped, or with the library's error (name, message, kmsRefusal).
 */
async function hashFileInWorker(out, file, key, signingAlgorithm, messageType) {
  const { digest } = await runFileWorker(out, file, {
    url: new URL('./hash-worker.js', import.meta.url),
    request: { file, key: key.toJSON(), signingAlgorithm, messageType },
    boxClass: 'hashing',
    cancelId: 'v-cancel',
    focusAfterCancel: 'v-go',
    texts: { started: 'hashingStart', progress: 'hashingProgress', progressLabel: 'hashingProgressLabel', workerFailed: 'workerFailed' },
  });
  return digest;
}

/**
 * Runs a file worker (hash-worker.js, encrypt-worker.js): it says { ready }, is sent `request`, reports
 * { progress: bytes of the file read } and ends with its result or { error }. `out` shows the bytes done of the
 * file's size, the percentage, a bar and a Cancel button meanwhile; `texts` names their sentences in `messages`
 * (read when shown, so a language switch applies from the next progress report). Resolves to the worker's last message;
 * rejects with Cancelled when the person cancels or the key is dropped (state.fileWork.cancel), or with the
 * library's error (name, message, kmsRefusal, rule, params).
 */
function runFileWorker(out, file, { url, request, boxClass, cancelId, focusAfterCancel, texts }) {
  const total = fmtBytes(file.size);
  const text = h('p', { class: 'progress', 'data-progress': '0' }, messages[texts.started](file.name, total));
  const bar = h('progress', { max: String(Math.max(file.size, 1)), value: '0', 'aria-label': messages[texts.progressLabel] });
  const cancelButton = h('button', { type: 'button', id: cancelId }, messages.cancel);
  const box = h('div', { class: `file-work ${boxClass}`, 'data-outcome': boxClass, 'aria-live': 'off' }, text, bar, h('div', { class: 'buttons' }, cancelButton));
  show(out, () => box);
  const worker = new Worker(url, { type: 'module' });
  return new Promise((resolve, reject) => {
    const finish = () => {
      worker.terminate();
      state.fileWork = null;
    };
    const cancel = () => {
      finish();
      reject(new Cancelled());
    };
    state.fileWork = { cancel };
    cancelButton.addEventListener('click', () => {
      cancel();
      $(focusAfterCancel).focus();
    });
    worker.onmessage = ({ data }) => {
      if (data.ready) {
        worker.postMessage(request);
      } else if ('progress' in data) {
        const percent = file.size ? Math.floor((100 * data.progress) / file.size) : 100;
        bar.value = data.progress;
        text.dataset.progress = String(data.progress);
        text.textContent = messages[texts.progress](file.name, fmtBytes(data.progress), total, percent);
      } else if (data.error) {
        finish();
        reject(Object.assign(new Error(data.error.message), data.error));
      } else {
        finish();
        resolve(data);
      }
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      finish();
      reject(new Error(messages[texts.workerFailed](ev.message || messages.workerNotLoaded)));
    };
  });
}

function cancelFileWork() {
  if (state.fileWork) state.fileWork.cancel();
}

/** The result box of a file that was not read to the end: `sentence` says what was not done. */
function cancelledBox(sentence) {
  return h('div', { class: 'result warn', 'data-outcome': 'cancelled' },
    h('p', { class: 'big' }, messages.cancelledTitle), h('p', {}, sentence));
}

async function readSignatureFile(file) {
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = utf8OrNull(bytes);
  $('v-sig').value = text !== null && looksBase64(text) ? text.trim() : toB64(bytes);
}

// Signed files -------------------------------------------------------------------------------------------
// A dropped (or chosen) file that is not a key but something signed, verified with the key on the card.

/**
 * The kinds of signed file the page recognises, tried in order on a dropped file before it is taken as a key:
 * `recognise(text, bytes)` says whether the file is one (`text` is null when the file is not UTF-8);
 * `verify(key, bytes, algorithm, name)` checks it with the key and returns the render function of its result.
 */
const SIGNED_FILE_KINDS = [
  {
    id: 'dsse', // a DSSE envelope (in-toto, cosign): JSON with payloadType and signatures
    recognise: (text) => {
      if (text === null || !text.trimStart().startsWith('{')) return false;
      try {
        const o = JSON.parse(text);
        return typeof o?.payloadType === 'string' && Array.isArray(o.signatures);
      } catch {
        return false;
      }
    },
    verify: verifyDsse,
  },
  ...['certificate', 'certificateRequest', 'crl'].map((id) => ({
    id, // X.509, PEM or DER: recognised by its BEGIN line or its outer DER structure (a DER key is not one)
    recognise: (text, bytes) => x509Kind(text, bytes) === id,
    verify: (key, bytes, _algorithm, name) => verifyX509(key, id, bytes, name),
  })),
];
const SIGNED_FILE_LIMIT = 64 << 20;

/** A dropped file: a signed file of a known kind is verified with the key on the card; anything else is a key. */
async function handleDroppedFile(file) {
  const kind = file.size <= SIGNED_FILE_LIMIT ? await signedFileKind(file) : null;
  if (kind) return verifySignedFile(kind, file);
  $('key-file').value = '';
  return handleKeyFile(file);
}

async function signedFileKind(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = utf8OrNull(bytes);
  return SIGNED_FILE_KINDS.find((k) => k.recognise(text, bytes)) ?? null;
}

/** Verifies a signed file with the key on the card; the result goes to the signed-file panel. */
async function verifySignedFile(kind, file) {
  if (!state.key) {
    show($('load-error'), () => errorBox(new InputError(() => messages.loadKeyFirst(messages.signedKinds[kind.id], file.name))));
    return;
  }
  const out = $('s-out');
  $('signed').hidden = false;
  const key = state.key;
  const generation = state.generation;
  try {
    if (file.size > SIGNED_FILE_LIMIT) throw new InputError(() => messages.signedFileTooBig(file.name, fmtBytes(file.size), fmtBytes(SIGNED_FILE_LIMIT)));
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (generation !== state.generation) return; // the key changed meanwhile
    show(out, kind.verify(key, bytes, $('s-alg').value, file.name));
  } catch (e) {
    if (generation === state.generation) show(out, () => errorBox(e));
  }
  $('signed-h').scrollIntoView?.({ block: 'nearest' });
}

function verifyDsse(key, bytes, algorithm, name) {
  const r = key.verifyDsse(bytes, { SigningAlgorithm: algorithm });
  const text = r.Valid ? utf8OrNull(r.Payload) : null;
  const rows = () => [
    [messages.algorithmRow, r.SigningAlgorithm],
    [messages.messageTypeRow, messages.paeAs(r.MessageType, fmtBytes(r.PaeBytes))],
    [messages.payloadTypeRow, r.PayloadType],
    [messages.payloadRow, fmtBytes(r.Payload.length)],
    ...r.Signatures.map((s, i) => [messages.signatureRow(i), messages.signatureStatus(s.Status, s.KeyIdInEnvelope, s.KeyIdMatch)]),
  ];
  const kv = () => h('dl', { class: 'kv' }, ...rows().flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  return () => h('div', { class: `result ${r.Valid ? 'ok' : 'bad'}`, 'data-outcome': r.Valid ? 'valid' : 'invalid', 'data-kind': 'dsse' },
    h('p', { class: 'big' }, r.Valid ? messages.dsseValid : messages.dsseInvalid),
    h('p', {}, messages.dsseNote(name)), usedKey(key), kv(),
    ...(text !== null && text.length <= 1 << 16 ? [h('p', {}, messages.payloadHeading), h('pre', { class: 'mono payload' }, text)] : []));
}

// X.509: a certificate, a PKCS#10 CSR or a CRL signed by the key on the card.

const X509_PEM_KINDS = { CERTIFICATE: 'certificate', 'CERTIFICATE REQUEST': 'certificateRequest', 'NEW CERTIFICATE REQUEST': 'certificateRequest', 'X509 CRL': 'crl' };
const X509_METHODS = { certificate: 'verifyCertificate', certificateRequest: 'verifyCertificateRequest', crl: 'verifyCrl' };

/** 'certificate', 'certificateRequest', 'crl' or null: by the PEM BEGIN line, or else by the DER outer structure. */
function x509Kind(text, bytes) {
  if (text !== null) {
    const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
    if (begin) return X509_PEM_KINDS[begin[1]] ?? null;
  }
  return x509DerKind(bytes);
}

/**
 * The kind of a DER X.509 object, from its structure alone: SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm,
 * BIT STRING signature } (a key's SubjectPublicKeyInfo has two members, not three), then what tbs holds:
 * a certificate starts with [0] version (or, v1, has 6+ members); a CRL has a Time among its members
 * (thisUpdate); a CSR's CertificationRequestInfo is version, subject, key and [0] attributes.
 */
function x509DerKind(bytes) {
  const outer = derChildren(bytes, 0, bytes.length, true);
  if (outer?.length !== 3 || outer[0].tag !== 0x30 || outer[1].tag !== 0x30 || outer[2].tag !== 0x03) return null;
  const tbs = derChildren(bytes, outer[0].at, outer[0].end, false);
  if (!tbs || tbs.length === 0) return null;
  const tags = tbs.map((c) => c.tag);
  if (tags[0] === 0xa0) return 'certificate';
  if (tags.includes(0x17) || tags.includes(0x18)) return 'crl';
  if (tags.length === 4 && tags[0] === 0x02 && tags[1] === 0x30 && tags[2] === 0x30 && tags[3] === 0xa0) return 'certificateRequest';
  return tags.length >= 6 && tags[0] === 0x02 ? 'certificate' : null;
}

/**
 * The members of the DER SEQUENCE at `from` ({ tag, at: its header, start and end: its contents }), or null when it is not
 * one; `whole`: the SEQUENCE must end exactly at `to`. Only definite lengths up to 4 bytes (DER).
 */
function derChildren(bytes, from, to, whole) {
  const header = (at) => {
    if (at + 2 > to) return null;
    let len = bytes[at + 1];
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || start + n > to) return null;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + bytes[start + i];
      start += n;
    }
    return start + len > to ? null : { tag: bytes[at], at, start, end: start + len };
  };
  const seq = header(from);
  if (!seq || seq.tag !== 0x30 || (whole && seq.end !== to)) return null;
  const children = [];
  for (let at = seq.start; at < seq.end; ) {
    const child = header(at);
    if (!child || child.end > seq.end) return null;
    children.push(child);
    at = child.end;
  }
  return children;
}

function verifyX509(key, kind, bytes, name) {
  const text = utf8OrNull(bytes);
  const r = key[X509_METHODS[kind]](text !== null && text.includes('-----BEGIN') ? text : bytes);
  const valid = r.SignatureValid;
  const rows = () => [
    [messages.x509SubjectRow, r.Subject],
    [messages.x509IssuerRow, r.Issuer],
    [messages.x509SerialRow, r.SerialNumber],
    [messages.x509ValidityRow, r.NotBefore && messages.x509Period(r.NotBefore, r.NotAfter)],
    [messages.x509UpdateRow, r.ThisUpdate && messages.x509Period(r.ThisUpdate, r.NextUpdate ?? '—')],
    [messages.x509RevokedRow, r.RevokedSerialNumbers && messages.x509Revoked(r.RevokedSerialNumbers)],
    [messages.algorithmRow, r.SigningAlgorithm],
    [messages.messageTypeRow, r.MessageType],
    [messages.x509ThisKeyRow, kind === 'crl' ? undefined : r.CertifiesThisKey ? messages.x509ThisKey[kind] : messages.x509OtherKey[kind]],
  ].filter(([, v]) => v !== undefined);
  const kv = () => h('dl', { class: 'kv' }, ...rows().flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  return () => h('div', { class: `result ${valid ? 'ok' : 'bad'}`, 'data-outcome': valid ? 'valid' : 'invalid', 'data-kind': kind },
    h('p', { class: 'big' }, valid ? messages.x509Valid[kind] : messages.x509Invalid[kind]),
    h('p', {}, messages.x509Note(name)), usedKey(key), kv());
}

// Encrypt ----------------------------------------------------------------------------------------------

async function doEncrypt() {
  const out = $('e-out');
  const key = state.key;
  const generation = state.generation;
  const src = radio('e-src');
  const plaintext = src === 'file' ? await readWhole($('e-file').files[0], 'plaintextFile') : decodeAs(src, $('e-msg').value, 'plaintext');
  if (generation !== state.generation) return; // the key was replaced while the file was read
  const res = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: $('e-alg').value });
  const ct = res.CiphertextBlob;
  const b64 = toB64(ct);
  const command =
    `echo ${b64} | base64 --decode > ciphertext.bin\n` +
    `aws kms decrypt --key-id ${shq(key.keyId ?? '<key-id>')} --encryption-algorithm ${res.EncryptionAlgorithm} ` +
    '--ciphertext-blob fileb://ciphertext.bin --query Plaintext --output text | base64 --decode';
  const link = downloadLink(ct, 'ciphertext.bin');
  show(out, () => [
    h('div', { class: 'result ok', 'data-outcome': 'encrypted', 'data-bytes': String(ct.length) },
      h('p', { class: 'big' }, messages.encrypted(ct.length)),
      h('p', {}, messages.encryptedDetail(res.EncryptionAlgorithm, fmtBytes(plaintext.length))), usedKey(key)),
    outputField('e-ct', messages.ciphertextField(ct.length), b64),
    h('div', { class: 'buttons' }, copyButton(messages.copyBase64, () => b64), link()),
    commandBlock('e-cmd', messages.decryptIntro, command),
  ]);
}

// Encrypt a file: an AWS Encryption SDK message --------------------------------------------------------
// The library decides which keys can (key.messageEncryptor checks every KMS and keyring rule before anything is
// read); the page shows its refusal, or reads the file in encrypt-worker.js and offers the message for download.

/**
 * Whether the key can write an ESDK message: null, or the library's refusal (InvalidKeyUsageException for a
 * signing key, UnsupportedOperationException for SM2 and ML-KEM keys, ValidationException for an RSA key
 * without its key ARN).
 */
function messageRefusal(key) {
  try {
    key.messageEncryptor(undefined).free();
    return null;
  } catch (e) {
    return e;
  }
}

/**
 * The panel is offered with every key whose usage encrypts or agrees (ENCRYPT_DECRYPT, KEY_AGREEMENT,
 * ENCAPSULATE_DECAPSULATE), and with a signing key on "show every action"; a key that cannot shows the refusal.
 */
function renderEncryptFile(key, showAll, fresh) {
  $('encrypt-file').hidden = !(showAll || key.keyUsage !== 'SIGN_VERIFY');
  const refusal = messageRefusal(key);
  show($('ef-refusal'), refusal ? () => errorBox(refusal) : undefined);
  $('ef-form').hidden = refusal !== null;
  // The AWS KMS RSA keyring is configured with one EncryptionAlgorithm: the key's own list, SHA-256 first.
  $('ef-alg-row').hidden = key.keyUsage !== 'ENCRYPT_DECRYPT';
  fillAlgorithmSelect($('ef-alg'), 'ENCRYPT_DECRYPT', false, fresh);
}

/**
 * The encryption context typed as key=value lines (blank lines skipped; the text either side of the first = is
 * kept exactly, spaces included, as the decrypting side must give it). The library checks the ESDK's rules.
 */
function encryptionContextOf(text) {
  const context = {};
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const at = line.indexOf('=');
    if (at <= 0) throw new InputError(() => messages.efContextLine(i + 1));
    const name = line.slice(0, at);
    if (Object.hasOwn(context, name)) throw new InputError(() => messages.efContextKeyTwice(name));
    context[name] = line.slice(at + 1);
  });
  return context;
}

/** Object URL of the last message offered for download: revoked when another is made (it may be large). */
let encryptedUrl = null;
function revokeEncryptedUrl() {
  if (encryptedUrl) URL.revokeObjectURL(encryptedUrl);
  encryptedUrl = null;
}

async function doEncryptFile() {
  const out = $('ef-out');
  const key = state.key;
  const generation = state.generation;
  const file = $('ef-file').files[0];
  if (!file) throw new InputError(() => messages.efChooseFile);
  const rsa = key.keyUsage === 'ENCRYPT_DECRYPT';
  const options = { EncryptionContext: encryptionContextOf($('ef-context').value), ...(rsa ? { EncryptionAlgorithm: $('ef-alg').value } : {}) };
  key.messageEncryptor(options).free(); // the request's rules, checked before the worker starts (it checks again)
  revokeEncryptedUrl();
  let message;
  try {
    ({ message } = await runFileWorker(out, file, {
      url: new URL('./encrypt-worker.js', import.meta.url),
      request: { file, key: key.toJSON(), options },
      boxClass: 'encrypting',
      cancelId: 'ef-cancel',
      focusAfterCancel: 'ef-go',
      texts: { started: 'efStart', progress: 'efProgress', progressLabel: 'efProgressLabel', workerFailed: 'efWorkerFailed' },
    }));
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    if (generation === state.generation) show(out, () => cancelledBox(messages.efCancelled));
    return;
  }
  // The suite the message was written with, from its header (format version 2: the suite ID follows the version byte).
  const head = new Uint8Array(await message.slice(0, 3).arrayBuffer());
  if (generation !== state.generation) return; // the key was replaced meanwhile: its result is not shown
  const suite = `0x${hex(head.subarray(1, 3))}`;
  encryptedUrl = URL.createObjectURL(message);
  const url = encryptedUrl;
  const name = `${file.name}.enc`;
  const keyId = key.keyId ?? '<key-arn>';
  const decrypt = rsa
    ? { sentence: () => messages.efDecryptRsa(keyId, options.EncryptionAlgorithm), code: rsaKeyringSnippet(keyId, options.EncryptionAlgorithm, name) }
    : { sentence: () => messages.efDecryptEcdh(keyId, key.keySpec), code: ecdhKeyringSnippet(keyId, key.keySpec, name) };
  const context = Object.entries(options.EncryptionContext);
  const rows = () => [
    [messages.efKeyringRow, rsa ? messages.efRsaKeyring : messages.efEcdhKeyring],
    ...(rsa ? [[messages.encryptionAlgorithmLabel, options.EncryptionAlgorithm]] : []),
    [messages.efSuiteRow, suite],
    [messages.efContextRow, context.length ? context.flatMap(([k, v], i) => [i ? h('br') : null, `${k}=${v}`]) : messages.efNoContext],
  ];
  show(out, () => [
    h('div', { class: 'result ok', 'data-outcome': 'encrypted-file', 'data-bytes': String(message.size), 'data-plaintext-bytes': String(file.size), 'data-suite': suite },
      h('p', { class: 'big' }, messages.efDone(fmtBytes(message.size))),
      h('p', {}, messages.efDoneDetail(file.name, fmtBytes(file.size))), usedKey(key),
      h('dl', { class: 'kv' }, ...rows().flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
    h('div', { class: 'buttons' }, h('a', { href: url, download: name, class: 'button-link', id: 'ef-download' }, messages.download(name))),
    h('p', { class: 'hint' }, withCode(messages.efLimit)),
    h('p', {}, withCode(decrypt.sentence())),
    h('pre', { class: 'cmd', id: 'ef-cmd', tabindex: '0', 'aria-label': messages.efDecryptCodeLabel }, decrypt.code),
    h('div', { class: 'buttons' }, copyButton(messages.copyCode, () => decrypt.code)),
  ]);
}

/** A sentence whose `backquoted` parts are code (names, identifiers), as nodes. */
function withCode(sentence) {
  return sentence.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));
}

// The decrypting side in Python: the same code kms-offline encrypt-file prints (pkg/bin/text/en.mjs,
// decryptWithRsaKeyring / decryptWithEcdhKeyring; tests/www/encrypt-file.test.mjs checks they match).
const PIP_LINE = '# pip install aws-encryption-sdk aws-cryptographic-material-providers boto3';
const MPL_IMPORTS = [
  'import aws_encryption_sdk, boto3',
  'from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders',
  'from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig',
];
/** The Region of a KMS key ARN (the KMS client must be in it), or a placeholder. */
const regionOf = (keyId) => /^arn:[^:]+:kms:([^:]+):/.exec(keyId)?.[1] ?? 'REGION';
const decryptLine = (file) => `plaintext, _ = aws_encryption_sdk.EncryptionSDKClient().decrypt(source=open(${JSON.stringify(file)}, "rb").read(), keyring=keyring)`;

function rsaKeyringSnippet(keyId, algorithm, file) {
  return [
    PIP_LINE,
    ...MPL_IMPORTS,
    'from aws_cryptographic_material_providers.mpl.models import CreateAwsKmsRsaKeyringInput',
    'keyring = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig()).create_aws_kms_rsa_keyring(',
    `    input=CreateAwsKmsRsaKeyringInput(kms_key_id="${keyId}", encryption_algorithm="${algorithm}",`,
    `                                kms_client=boto3.client("kms", region_name="${regionOf(keyId)}")))`,
    decryptLine(file),
  ].join('\n');
}

function ecdhKeyringSnippet(keyId, curve, file) {
  return [
    PIP_LINE,
    ...MPL_IMPORTS,
    'from aws_cryptographic_material_providers.mpl.models import (CreateAwsKmsEcdhKeyringInput,',
    '    KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery, KmsPublicKeyDiscoveryInput)',
    'keyring = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig()).create_aws_kms_ecdh_keyring(',
    `    input=CreateAwsKmsEcdhKeyringInput(curve_spec="${curve}", kms_client=boto3.client("kms", region_name="${regionOf(keyId)}"),`,
    '        key_agreement_scheme=KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery(',
    `            KmsPublicKeyDiscoveryInput(recipient_kms_identifier="${keyId}"))))`,
    decryptLine(file),
  ].join('\n');
}

// Derive -----------------------------------------------------------------------------------------------

function doDerive() {
  const out = $('d-out');
  const key = state.key;
  state.derived = null;
  show($('k-out'));
  $('kdf-form').hidden = true;
  const res = key.deriveSharedSecret({ KeyAgreementAlgorithm: $('d-alg').value });
  state.derived = res;
  const b64 = toB64(res.PublicKey);
  const command =
    `echo ${b64} | base64 --decode > our-public-key.der\n` +
    `aws kms derive-shared-secret --key-id ${shq(key.keyId ?? '<key-id>')} --key-agreement-algorithm ${res.KeyAgreementAlgorithm} ` +
    '--public-key fileb://our-public-key.der --query SharedSecret --output text | base64 --decode | xxd -p -c 256';
  const link = downloadLink(res.PublicKey, 'our-public-key.der');
  show(out, () => [
    h('div', { class: 'result ok', 'data-outcome': 'derived' },
      h('p', { class: 'big' }, messages.derived),
      h('p', {}, messages.derivedNote), usedKey(key)),
    outputField('d-pub', messages.ourPublicKeyField(res.PublicKey.length), b64, 3),
    h('div', { class: 'buttons' }, copyButton(messages.copyBase64, () => b64), link()),
    commandBlock('d-cmd', messages.deriveIntro, command),
  ]);
  $('kdf-form').hidden = false;
  syncKdf();
}

function syncKdf() {
  const kdf = $('k-kdf').value;
  $('kdf-form').querySelector('[data-kdf="hkdf"]').hidden = kdf !== 'hkdf';
  $('kdf-form').querySelector('[data-kdf="one-step"]').hidden = kdf !== 'one-step';
  $('k-hash').disabled = kdf === 'none';
  $('k-len').disabled = kdf === 'none';
}

function doKdf() {
  const out = $('k-out');
  if (!state.derived) throw new InputError(() => messages.deriveFirst);
  const kdf = $('k-kdf').value;
  if (!kdf) throw new InputError(() => messages.chooseKdf);
  const Z = state.derived.SharedSecret;
  if (kdf === 'none') {
    show(out, () => h('div', { class: 'result warn', 'data-outcome': 'raw-z' },
      h('p', { class: 'big' }, messages.rawSecret(Z.length)),
      h('p', {}, messages.rawSecretNote),
      h('code', { class: 'secret' }, hex(Z))));
    return;
  }
  const Hash = $('k-hash').value;
  const lenText = $('k-len').value.trim();
  if (!/^[0-9]+$/.test(lenText)) throw new InputError(() => messages.lengthWhole);
  const Length = Number(lenText);
  let keyBytes;
  let label;
  if (kdf === 'hkdf') {
    const salt = $('k-salt').value;
    keyBytes = hkdf({ Hash, Ikm: Z, Salt: salt ? utf8(salt) : undefined, Info: utf8($('k-info').value), Length });
    label = () => `HKDF-${Hash}`;
  } else {
    keyBytes = oneStepKdf({ Hash, SharedSecret: Z, FixedInfo: utf8($('k-fixed').value), Length });
    label = () => messages.oneStepName(Hash);
  }
  show(out, () => h('div', { class: 'result ok', 'data-outcome': 'kdf' },
    h('p', { class: 'big' }, messages.derivedKey(label(), keyBytes.length)),
    h('code', { class: 'secret' }, hex(keyBytes)),
    h('p', {}, messages.derivedKeyNote)));
}

// Encapsulate --------------------------------------------------------------------------------------------

function doEncapsulate() {
  const out = $('m-out');
  const key = state.key;
  const res = key.encapsulate({ EncapsulationAlgorithm: $('m-alg').value });
  const ct = res.SharedSecretCiphertextBlob;
  const b64 = toB64(ct);
  const command =
    `echo ${b64} | base64 --decode > ciphertext.bin\n` +
    `aws kms decapsulate --key-id ${shq(key.keyId ?? '<key-id>')} --encapsulation-algorithm ${res.EncapsulationAlgorithm} ` +
    '--shared-secret-ciphertext-blob fileb://ciphertext.bin --query SharedSecret --output text | base64 --decode | xxd -p -c 256';
  const link = downloadLink(ct, 'ciphertext.bin');
  show(out, () => [
    h('div', { class: 'result ok', 'data-outcome': 'encapsulated', 'data-bytes': String(ct.length) },
      h('p', { class: 'big' }, messages.encapsulated(ct.length, res.SharedSecret.length)),
      h('p', {}, messages.encapsulatedNote), usedKey(key)),
    outputField('m-ct', messages.encapsulatedCiphertextField(ct.length), b64),
    h('div', { class: 'buttons' }, copyButton(messages.copyBase64, () => b64), link()),
    h('p', {}, messages.sharedSecretHex),
    h('code', { class: 'secret', id: 'm-secret' }, hex(res.SharedSecret)),
    commandBlock('m-cmd', messages.decapsulateIntro, command),
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Samples

let samples = [];

function markSample(name) {
  for (const b of $('sample-buttons').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.sample === name));
}

async function loadSample(entry) {
  dropKey();
  $('key-file').value = '';
  const generation = state.generation;
  const text = await (await fetch(`samples/${entry.files.key}`)).text();
  if (generation !== state.generation) return; // another key was chosen meanwhile
  state.der = null;
  keyText.value = text;
  keyText.placeholder = KEY_TEXT_PLACEHOLDER;
  updateMetaVisibility();
  state.sample = entry;
  markSample(entry.name);
  if (!loadKey()) return;
  if (entry.signature) {
    const s = entry.signature;
    $('v-alg').value = s.SigningAlgorithm;
    document.querySelector(`input[name="v-type"][value="${s.MessageType}"]`).checked = true;
    document.querySelector('input[name="v-src"][value="text"]').checked = true;
    syncSource('v');
    $('v-prehashed').checked = false;
    $('v-msg').value = s.MessageText;
    $('v-sig').value = s.Signature;
    $('v-sample').hidden = false;
  }
  $('card-h').focus();
}

async function initSamples() {
  const box = $('sample-buttons');
  try {
    const index = await (await fetch('samples/index.json')).json();
    samples = index.samples;
  } catch (e) {
    samplesError = e.message;
  }
  renderSamples();
}

let samplesError = null;
function renderSamples() {
  const box = $('sample-buttons');
  if (samplesError !== null) {
    box.replaceChildren(h('p', { class: 'hint' }, messages.samplesUnavailable(samplesError)));
    return;
  }
  box.replaceChildren(
    ...samples.map((s) =>
      h('button', { type: 'button', 'data-sample': s.name, 'aria-pressed': String(state.sample?.name === s.name), onclick: () => loadSample(s).catch((e) => show($('load-error'), () => errorBox(e))) },
        h('span', { class: 'tag' }, messages.sampleTag),
        h('span', { class: 't' }, messages.sampleTitle(s)),
        h('span', { class: 's' }, `${s.keySpec} · ${s.keyUsage}`)),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Footer: the version of the package this page runs (its package.json, served beside dist/)

async function showVersion() {
  const el = $('version');
  try {
    const res = await fetch('../pkg/package.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { version } = await res.json();
    el.dataset.version = version;
  } catch {
    delete el.dataset.version;
  }
  renderVersion();
}

function renderVersion() {
  const el = $('version');
  el.textContent = el.dataset.version ? messages.version(el.dataset.version) : messages.versionUnknown;
}

// ---------------------------------------------------------------------------------------------------------
// Wiring

/** Runs an action and puts its result or its error in `out`; the button is busy meanwhile. */
function wire(formId, outId, action) {
  const form = $(formId);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action();
    } catch (e) {
      show($(outId), () => errorBox(e));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
}

$('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.sample = null;
  markSample(null);
  if (loadKey()) $('card-h').focus();
});
$('clear-button').addEventListener('click', () => {
  dropKey();
  keyText.value = '';
  keyText.placeholder = KEY_TEXT_PLACEHOLDER;
  state.der = null;
  $('key-file').value = '';
  $('meta-spec').value = '';
  $('meta-keyid').value = '';
  renderMetaUsages();
  updateMetaVisibility();
  keyText.focus();
});
// Editing the key text replaces the key: the loaded one, its results and the key file choice go.
keyText.addEventListener('input', () => {
  dropKey();
  state.der = null;
  keyText.placeholder = KEY_TEXT_PLACEHOLDER;
  $('key-file').value = '';
  updateMetaVisibility();
});
$('key-file').addEventListener('change', (ev) => handleKeyFile(ev.target.files[0]).catch((e) => show($('load-error'), () => errorBox(e))));
/** The metadata changed: a key loaded with the old metadata is no longer what the form says. */
function metadataEdited() {
  if (state.key) dropKey();
}
$('meta-spec').addEventListener('change', () => {
  renderMetaUsages();
  metadataEdited();
});
$('meta-usage').addEventListener('change', () => {
  renderMetaAlgorithms();
  metadataEdited();
});
$('meta-algs').addEventListener('change', metadataEdited);
$('meta-keyid').addEventListener('input', metadataEdited);

const drop = $('drop');
drop.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  drop.classList.add('dragging');
});
drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
drop.addEventListener('drop', (ev) => {
  ev.preventDefault();
  drop.classList.remove('dragging');
  const file = ev.dataTransfer && ev.dataTransfer.files[0];
  if (file) handleDroppedFile(file).catch((e) => show($('load-error'), () => errorBox(e)));
});
// The signed-file panel takes a drop too, and has its own file chooser.
const verifyChosenSignedFile = (file) => file && signedFileKind(file).then((kind) => verifySignedFile(kind ?? SIGNED_FILE_KINDS[0], file));
$('signed').addEventListener('dragover', (ev) => ev.preventDefault());
$('signed').addEventListener('drop', (ev) => {
  ev.preventDefault();
  verifyChosenSignedFile(ev.dataTransfer && ev.dataTransfer.files[0]);
});
$('s-file').addEventListener('change', (ev) => verifyChosenSignedFile(ev.target.files[0]));

// The Encrypt a file panel takes a drop anywhere on it: the file becomes its file choice, which Encrypt file then encrypts.
const efDrop = $('ef-drop');
$('encrypt-file').addEventListener('dragover', (ev) => {
  ev.preventDefault();
  efDrop.classList.add('dragging');
});
$('encrypt-file').addEventListener('dragleave', () => efDrop.classList.remove('dragging'));
$('encrypt-file').addEventListener('drop', (ev) => {
  ev.preventDefault();
  efDrop.classList.remove('dragging');
  if (ev.dataTransfer?.files.length) $('ef-file').files = ev.dataTransfer.files;
});

$('show-all').addEventListener('change', () => state.key && renderActions());
for (const p of ['v', 'e']) for (const r of document.querySelectorAll(`input[name="${p}-src"]`)) r.addEventListener('change', () => syncSource(p));
$('v-sig-file').addEventListener('change', (ev) => readSignatureFile(ev.target.files[0]).catch((e) => show($('v-out'), () => errorBox(e))));
$('v-fill-valid').addEventListener('click', () => {
  $('v-sig').value = state.sample.signature.Signature;
  $('v-msg').value = state.sample.signature.MessageText;
});
$('v-fill-tampered').addEventListener('click', () => {
  $('v-sig').value = state.sample.signature.TamperedSignature;
  $('v-msg').value = state.sample.signature.MessageText;
});
$('k-kdf').addEventListener('change', syncKdf);
$('card-h').tabIndex = -1;

wire('verify-form', 'v-out', doVerify);
wire('encrypt-form', 'e-out', doEncrypt);
wire('derive-form', 'd-out', doDerive);
wire('kdf-form', 'k-out', doKdf);
wire('encapsulate-form', 'm-out', doEncapsulate);
wire('ef-form', 'ef-out', doEncryptFile);

// The language switch: everything is drawn again in the chosen language, without a reload; the choice is remembered.
$('lang-switch').addEventListener('click', (ev) => {
  const button = ev.target.closest('[data-lang]');
  if (!button) return;
  setLanguage(button.dataset.lang);
  rememberLanguage(lang);
  applyStaticTexts();
  redrawInLanguage();
});

/** Everything app.js drew, drawn again in the current language; what the person chose or typed stays. */
function redrawInLanguage() {
  fillMetaSelects();
  syncSource('v');
  syncSource('e');
  renderSamples();
  renderVersion();
  if (state.key) {
    renderCard(state.key, state.card.sampleNote, state.card.loadedFrom);
    renderActions();
  }
  if (state.der) keyText.placeholder = messages.derPlaceholder(state.derName, state.der.length);
  renderDetection();
  redrawOutputs();
}

fillMetaSelects();
updateMetaVisibility();
syncSource('v');
syncSource('e');
await Promise.all([initSamples(), showVersion()]);
setBoot(() => messages.ready);
boot.dataset.ready = 'true';
