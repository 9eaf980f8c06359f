// A module Web Worker that encrypts a file into an AWS Encryption SDK message for the page's "Encrypt a file"
// panel, so that the page stays responsive, shows progress and can cancel: the page cancels by terminating it.
//   worker → page  { ready: true }                      once the package is loaded
//   page → worker  { file, key, options }               key: the loaded key's toJSON(); options: EncryptMessageOptions
//   worker → page  { progress: plaintext bytes read } (every 100 ms and at the end), then
//                  { message: Blob } or { error: { name, message, kmsRefusal, rule, params } }
// The file is read in a stream (File.stream()) through key.encryptMessageStream: memory holds a chunk and a frame.
import * as lib from '../pkg/dist/web.js';
import { byteCounter, postableError } from './file-workers.js';

/**
 * The message bytes are gathered into a Blob each time this much is pending, so the worker holds at most this
 * much of the message; the browser keeps the Blob itself (Chromium moves large Blobs to disk).
 */
const BLOB_STEP = 8 << 20;

/** Collects byte chunks into one Blob, BLOB_STEP at a time. */
class BlobCollector {
  #blob = new Blob([]);
  #pending = [];
  #pendingBytes = 0;

  add(chunk) {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes >= BLOB_STEP) this.#gather();
  }

  blob() {
    this.#gather();
    return this.#blob;
  }

  #gather() {
    this.#blob = new Blob([this.#blob, ...this.#pending], { type: 'application/octet-stream' });
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

self.onmessage = async ({ data }) => {
  let key;
  try {
    // The same key as the page's key card: its GetPublicKey form, loaded again here (a worker has its own wasm).
    key = lib.KmsPublicKey.fromGetPublicKey(data.key);
    const counted = data.file.stream().pipeThrough(byteCounter((bytes) => self.postMessage({ progress: bytes })));
    const reader = key.encryptMessageStream(counted, data.options).getReader();
    const message = new BlobCollector();
    for (let read = await reader.read(); !read.done; read = await reader.read()) message.add(read.value);
    self.postMessage({ message: message.blob() });
  } catch (e) {
    self.postMessage({ error: postableError(e) });
  } finally {
    key?.free();
  }
};
self.postMessage({ ready: true });
