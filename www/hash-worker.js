// A module Web Worker that hashes a message file for Verify (MessageType DIGEST or EXTERNAL_MU), so that the page
// stays responsive, shows progress and can cancel: the page cancels by terminating this worker.
//   worker → page  { ready: true }                      once the package is loaded
//   page → worker  { file, key, signingAlgorithm, messageType }   key: the loaded key's toJSON()
//   worker → page  { progress: bytes } (every PROGRESS_MS), then { digest } or { error: { name, message, kmsRefusal } }
import * as lib from '../pkg/dist/web.js';
import { streamingDigest } from './hashing.js';

const PROGRESS_MS = 100;

/** A pass-through stream that reports how many bytes went through, at most every PROGRESS_MS. */
function byteCounter(report) {
  let bytes = 0;
  let last = 0;
  return new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      const now = performance.now();
      if (now - last >= PROGRESS_MS) {
        last = now;
        report(bytes);
      }
      controller.enqueue(chunk);
    },
    flush() {
      report(bytes);
    },
  });
}

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
    self.postMessage({ error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), kmsRefusal: e?.kmsRefusal } });
  } finally {
    digest?.free();
    key?.free();
  }
};
self.postMessage({ ready: true });
