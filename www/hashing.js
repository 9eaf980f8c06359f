// The streaming digest that Verify with MessageType DIGEST or EXTERNAL_MU needs, shared by the page (typed
// messages) and hash-worker.js (files): the algorithm's SHA-2, SM2's e = SM3(Z_A ‖ M) with KMS's distinguishing
// ID, or ML-DSA's μ. Each refuses what it cannot do (no plain digest for the algorithm, a key of another kind)
// with its KMS exception. The caller frees what this returns.
export function streamingDigest(lib, key, signingAlgorithm, messageType) {
  if (messageType === 'EXTERNAL_MU') return key.externalMuDigest();
  if (signingAlgorithm === 'SM2DSA') return key.sm2Digest();
  return lib.MessageDigest.forSigningAlgorithm(signingAlgorithm);
}
