// A module Web Worker that hashes a message file for Verify (MessageType DIGEST or EXTERNAL_MU), so that the page
// stays responsive, shows progress and can cancel: the page cancels by terminating this worker.
//   worker → page  { ready: true }                      once the package is loaded
//   page → worker  { file, key, signingAlgorithm, messageType }   key: the loaded key's toJSON()
//   worker → page  { progress: bytes } (every 100 ms and at the end), then { digest } or { error: { name, message, kmsRefusal, rule, params } }
import * as lib from '../pkg/dist/web.js';
import { streamingDigest } from './hashing.js';
import { byteCounter, postableError } from './file-workers.js';

self.onmessage = async ({ data }) => {
  let key;
  let digest;
  try {
    // The same key as the page's key card: its GetPublicKey form, loaded again here (a worker has its own wasm).
    key = lib.KmsPublicKey.fromGetPublicKey(data.key);
    digest = streamingDigest(lib, key, data.signingAlgorithm, data.messageType);
    const counted = data.file.stream().pipeThrough(byteCounter((bytes) => self.postMessage({ progress: bytes })));
    const value = await lib.digestStream(digest, counted);
    self.postMessage({ digest: value });
  } catch (e) {
    self.postMessage({ error: postableError(e) });
  } finally {
    digest?.free();
    key?.free();
  }
};
self.postMessage({ ready: true });
