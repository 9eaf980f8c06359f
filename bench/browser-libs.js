// The CommonJS alternatives of the benchmark (jsrsasign, node-forge, elliptic) and sm-crypto-v2, bundled for the
// browser by bench/browser.mjs (Vite, library mode) so that the Chromium run has the same pure-JS alternatives as
// the Node run.
import jsrsasign from 'jsrsasign';
import forge from 'node-forge';
import elliptic from 'elliptic';
import * as smcrypto from 'sm-crypto-v2';

export { jsrsasign, forge, elliptic, smcrypto };
