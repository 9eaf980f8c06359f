//! One key family, one module (issue 20 item 1), read from the sources: the parsed key (`Material`) is matched in
//! one file, and each curve's facts (its OID, its JWK `crv`, its order) are stated in one file, its static.

use std::path::{Path, PathBuf};

/// Every Rust source under src/ (path, text without comment lines).
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code: Vec<&str> = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
                out.push((path, code.join("\n")));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The files (relative to src/) whose code contains any of `needles`.
fn files_with(needles: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<String> = sources()
        .into_iter()
        .filter(|(_, code)| needles.iter().any(|n| code.contains(n)))
        .map(|(path, _)| path.strip_prefix(&root).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn material_is_matched_in_one_file() {
    // A variant named in a pattern or a constructor; `Material::parse` (a call) is not one.
    let variants = ["Rsa", "P256", "P384", "P521", "Secp256k1", "Sm2", "Ed25519", "MlDsa44", "MlDsa65", "MlDsa87", "MlKem512", "MlKem768", "MlKem1024"];
    let needles: Vec<String> = variants.iter().map(|v| format!("Material::{v}(")).collect();
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_eq!(files_with(&needles), ["family/mod.rs"]);
}

#[test]
fn each_curve_is_stated_in_one_file() {
    // Each curve's namedCurve OID and the first bytes of its order (as hex in its static).
    let curves = [
        ("P-256", "1.2.840.10045.3.1.7", "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84"),
        ("P-384", "1.3.132.0.34", "C7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973"),
        ("P-521", "1.3.132.0.35", "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47"),
        ("secp256k1", "1.3.132.0.10", "FFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"),
        ("SM2", "1.2.156.10197.1.301", "FFFFFFFF7203DF6B21C6052B53BBF40939D54123"),
    ];
    for (name, oid, order) in curves {
        assert_eq!(files_with(&[&format!("\"{oid}\""), order]), ["family/ec.rs"], "{name}");
    }
    // The JWK crv and the SPKI prefix of P-384 (its OID's DER bytes 2b 81 04 00 22) are its static's too.
    assert_eq!(files_with(&["Some(\"P-384\")", "\\x2b\\x81\\x04\\x00\\x22"]), ["family/ec.rs"]);
}
