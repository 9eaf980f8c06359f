// Which KeyUsage, and which algorithms for it, KMS allows for each asymmetric KeySpec: KMS-RULES.md §2.1 (the
// AWS "Key spec reference" and CreateKey). A key's GetPublicKey output lists every algorithm of its spec and usage.
// The page uses this table only to narrow the metadata form's menus; the library still checks every combination
// when it loads the key. The package does not export these rules yet; when it does, this file should go.

const RSA = {
  SIGN_VERIFY: [
    'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  ],
  ENCRYPT_DECRYPT: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
};
const nistCurve = (ecdsa) => ({ SIGN_VERIFY: [ecdsa], KEY_AGREEMENT: ['ECDH'] });
const ML_DSA = { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] };
const ML_KEM = { ENCAPSULATE_DECAPSULATE: ['ML_KEM'] };

/** KeySpec → { KeyUsage → the algorithms KMS lists for that spec and usage }. */
export const KEY_SPEC_RULES = {
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: nistCurve('ECDSA_SHA_256'),
  ECC_NIST_P384: nistCurve('ECDSA_SHA_384'),
  ECC_NIST_P521: nistCurve('ECDSA_SHA_512'),
  ECC_SECG_P256K1: { SIGN_VERIFY: ['ECDSA_SHA_256'] },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] },
  ML_DSA_44: ML_DSA,
  ML_DSA_65: ML_DSA,
  ML_DSA_87: ML_DSA,
  ML_KEM_512: ML_KEM,
  ML_KEM_768: ML_KEM,
  ML_KEM_1024: ML_KEM,
  SM2: { SIGN_VERIFY: ['SM2DSA'], ENCRYPT_DECRYPT: ['SM2PKE'], KEY_AGREEMENT: ['ECDH'] },
};
