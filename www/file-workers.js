// What the page's file workers (hash-worker.js, encrypt-worker.js) share: a pass-through stream that counts the
// bytes read from the file for the progress line, and an error in the form the page can show and translate.

const PROGRESS_MS = 100;

/** A pass-through stream that reports how many bytes went through, at most every PROGRESS_MS and once at the end. */
export function byteCounter(report) {
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

/**
 * A library error as the page receives it: its KMS exception name, English message, kmsRefusal, and the rule
 * code and params pkg/messages' errorMessage translates (an Error itself does not survive postMessage whole).
 */
export function postableError(e) {
  return { name: e?.name ?? 'Error', message: e?.message ?? String(e), kmsRefusal: e?.kmsRefusal, rule: e?.rule, params: e?.params };
}
