#!/usr/bin/env bash
# Builds the web version of Trainprint (the same app, compiled to wasm32-unknown-unknown) into OUT_DIR:
# index.html, trainprint.js (wasm-bindgen's glue), trainprint_bg.wasm and the icon. Any static file server can
# serve the folder. Tools: the wasm target through rustup and wasm-bindgen-cli built by `cargo install` at the
# version Cargo.lock pins. Nothing else is downloaded.
# Usage: bash .ci/web-build.sh OUT_DIR      (WEB_CLIPPY=0 skips clippy for the wasm target)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bash .ci/web-build.sh OUT_DIR}
target=wasm32-unknown-unknown

rustup target add "$target" >/dev/null 2>&1 || rustup target add "$target"

# wasm-bindgen-cli must be the wasm-bindgen version in Cargo.lock (it checks, and refuses another).
ver=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $ver"; then
  # --locked first; if a crate its lock file names is missing from the registry, its newest compatible one.
  cargo install wasm-bindgen-cli --version "=$ver" --locked ||
    cargo install wasm-bindgen-cli --version "=$ver"
fi

if [ "${WEB_CLIPPY:-1}" != 0 ]; then
  cargo clippy --lib --target "$target" --locked -- -D warnings
fi

# The library as a cdylib (only here: the native builds keep their crate types), with the size-tuned profile.
cargo rustc --lib --profile web --target "$target" --locked --crate-type cdylib
wasm="${CARGO_TARGET_DIR:-target}/$target/web/trainprint.wasm"

mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name trainprint "$wasm"
# No wasm-opt: Debian 12's (binaryen 108) -Oz broke wasm-bindgen 0.2.130's externref table when tried (the page
# failed to start: "WebAssembly.Table.set(): Argument 1 is invalid"), and the .wasm is within its budget without.
cp assets/web/index.html "$out/index.html"
cp assets/icon-256.png "$out/icon-256.png"

raw=$(stat -c %s "$out/trainprint_bg.wasm")
gz=$(gzip -9 -c "$out/trainprint_bg.wasm" | wc -c)
awk -v o="$out" -v r="$raw" -v g="$gz" \
  'BEGIN { printf "web build in %s: trainprint_bg.wasm %.2f MiB, %.2f MiB gzipped (-9)\n", o, r / 1048576, g / 1048576 }'
test "$gz" -le $((4 * 1024 * 1024)) || { echo "the .wasm is over 4 MiB gzipped" >&2; exit 1; }
