#!/usr/bin/env bash
# Cross-compiles the release exe for Windows (x86_64-pc-windows-gnu, GUI subsystem, embedded icon) and builds an
# MSI with Debian's wixl from wix/trainprint-wixl.wxs, then checks the MSI holds the exe, the licence and the
# Start-menu shortcut. Installs the target and the Debian packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
rustup target add x86_64-pc-windows-gnu >/dev/null
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v wixl >/dev/null || need+=(wixl)
command -v msiextract >/dev/null || need+=(msitools)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
# Lint the Windows-only code too (the console attach in main.rs).
cargo clippy --locked --target x86_64-pc-windows-gnu --bins -- -D warnings
cargo build --release --locked --target x86_64-pc-windows-gnu
exe=target/x86_64-pc-windows-gnu/release/trainprint.exe
ls -l "$exe"
# The GUI subsystem (2) in the PE optional header: no console window behind the app.
python3 - "$exe" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
pe = struct.unpack_from('<I', data, 0x3c)[0]
assert data[pe:pe+4] == b'PE\0\0', 'not a PE file'
subsystem = struct.unpack_from('<H', data, pe + 24 + 68)[0]
assert subsystem == 2, f'subsystem {subsystem}, expected 2 (Windows GUI)'
# The resource section's root directory must list RT_GROUP_ICON (14): the embedded app icon.
nsec = struct.unpack_from('<H', data, pe + 6)[0]
opt_size = struct.unpack_from('<H', data, pe + 20)[0]
sec = pe + 24 + opt_size
types = []
for i in range(nsec):
    name, vsize, vaddr, rsize, raddr = struct.unpack_from('<8sIIII', data, sec + 40 * i)
    if name.rstrip(b'\0') == b'.rsrc':
        named, ids = struct.unpack_from('<HH', data, raddr + 12)
        for k in range(named + ids):
            entry_id = struct.unpack_from('<I', data, raddr + 16 + 8 * k)[0]
            types.append(entry_id)
assert 14 in types, f'no RT_GROUP_ICON resource (resource types: {types})'
print('PE: Windows GUI subsystem, icon resource present')
PY
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
mkdir -p target/msi
wixl -a x64 -D Version="$version" -D ExePath="$exe" -o target/msi/trainprint.msi wix/trainprint-wixl.wxs
ls -l target/msi/trainprint.msi
files=$(msiextract -l target/msi/trainprint.msi)
echo "$files"
echo "$files" | grep -q 'trainprint.exe' || { echo "the MSI lacks trainprint.exe"; exit 1; }
echo "$files" | grep -q 'LICENSE-MIT.txt' || { echo "the MSI lacks the licence"; exit 1; }
msiinfo export target/msi/trainprint.msi Shortcut | grep -q 'TrainprintShortcut' || { echo "the MSI lacks the Start-menu shortcut"; exit 1; }
echo "MSI holds the exe, the licence and the Start-menu shortcut"
