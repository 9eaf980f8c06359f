//! No import cycles among the crate's modules (issue 20 item 6): a module that uses another (`crate::other`, or
//! `crate::{other, ...}`) is never used back by it, directly or through others. Read from the sources (comments and
//! `#[cfg(test)] mod tests` left out); `super::` inside a module's own folder is its own business.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`key`, `interop::jwk`, `js`) → its source without comments and unit tests.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let name = relative.to_string_lossy().replace('/', "::");
                let name = name.strip_suffix("::mod").unwrap_or(&name).to_owned();
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text
                    .split("#[cfg(test)]\nmod tests")
                    .next()
                    .unwrap_or_default();
                let code: Vec<&str> = code
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .collect();
                out.insert(name, code.join("\n"));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out.remove("lib");
    out
}

/// The modules `code` uses: the longest known module path after each `crate::`, and each name in `crate::{...}`.
fn uses(code: &str, known: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            used.extend(group.split(',').map(|item| {
                item.trim()
                    .split("::")
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }));
            continue;
        }
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let parts: Vec<&str> = path.split("::").collect();
        if let Some(module) = (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|m| known.contains_key(m))
        {
            used.insert(module);
        }
    }
    used.retain(|module| known.contains_key(module));
    used
}

#[test]
fn no_module_is_used_back_by_a_module_it_uses() {
    let modules = modules();
    assert!(
        modules.contains_key("key") && modules.contains_key("interop::jwk"),
        "{:?}",
        modules.keys()
    );
    let graph: BTreeMap<&str, BTreeSet<String>> = modules
        .iter()
        .map(|(name, code)| {
            let mut used = uses(code, &modules);
            // A module's own submodules and its parents are one module here (`js::read` and `js`).
            used.retain(|other| {
                !other.starts_with(&format!("{name}::"))
                    && !name.starts_with(&format!("{other}::"))
                    && other != name
            });
            (name.as_str(), used)
        })
        .collect();
    // Depth-first search: a module met again while it is still on the path closes a cycle.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|m| *m == module) {
            cycles.push(format!("{} -> {module}", path[at..].join(" -> ")));
            return;
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for next in &graph[module] {
            visit(next, graph, path, done, cycles);
        }
        path.pop();
    }
    let (mut done, mut cycles) = (BTreeSet::new(), Vec::new());
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(
        cycles.is_empty(),
        "import cycles among src/ modules:\n{}",
        cycles.join("\n")
    );
}
