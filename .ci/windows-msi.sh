#!/usr/bin/env bash
# Cross-compiles the release programs for Windows (x86_64-pc-windows-gnu, embedded icon): trainprint.exe, the
# console program (the command line: cmd waits for it and gets its exit code), and trainprint-gui.exe, the same
# program for the GUI subsystem (the window, no console behind it). Builds an MSI with Debian's wixl from
# wix/trainprint-wixl.wxs, adds the PATH entry wixl cannot write (msibuild), then checks the MSI holds both
# programs, the licence, the Start-menu shortcut to the GUI one and the PATH entry. Installs the target and the
# Debian packages it needs. .ci/windows-wine.sh then runs what this builds.
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
# Lint the Windows-only code too (the console attach in trainprint-gui, the DX12 path of the window).
cargo clippy --locked --target x86_64-pc-windows-gnu --bins -- -D warnings
cargo build --release --locked --target x86_64-pc-windows-gnu --bins
bindir=target/x86_64-pc-windows-gnu/release
ls -l "$bindir/trainprint.exe" "$bindir/trainprint-gui.exe"
# The subsystem in the PE optional header: 3 (console) for trainprint.exe, 2 (GUI: no console window behind the
# app) for trainprint-gui.exe; both carry the icon.
check_pe() {
python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
want = int(sys.argv[2])
pe = struct.unpack_from('<I', data, 0x3c)[0]
assert data[pe:pe+4] == b'PE\0\0', 'not a PE file'
subsystem = struct.unpack_from('<H', data, pe + 24 + 68)[0]
names = {2: 'Windows GUI', 3: 'Windows console'}
assert subsystem == want, f'{sys.argv[1]}: subsystem {subsystem}, expected {want} ({names[want]})'
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
print(f'{sys.argv[1]}: {names[want]} subsystem, icon resource present')
PY
}
check_pe "$bindir/trainprint.exe" 3
check_pe "$bindir/trainprint-gui.exe" 2
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
mkdir -p target/msi
msi=target/msi/trainprint.msi
wixl -a x64 -D Version="$version" -D BinDir="$bindir" -o "$msi" wix/trainprint-wixl.wxs
# The PATH entry, as wix/main.wxs has it: append (`[~];`) the install folder to the system (`*`) PATH on install
# (`=`), remove it on uninstall (`-`), with the two standard actions at their standard sequence numbers.
idt=$(mktemp -d)
printf 'Environment\tName\tValue\tComponent_\ns72\tl255\tL255\ts72\nEnvironment\tEnvironment\n' >"$idt/Environment.idt"
printf 'PATH\t=-*PATH\t[~];[APPLICATIONFOLDER]\tMainExecutable\n' >>"$idt/Environment.idt"
msiinfo export "$msi" InstallExecuteSequence >"$idt/InstallExecuteSequence.idt"
printf 'RemoveEnvironmentStrings\t\t3300\nWriteEnvironmentStrings\t\t5200\n' >>"$idt/InstallExecuteSequence.idt"
msibuild "$msi" -i "$idt/Environment.idt"
msibuild "$msi" -i "$idt/InstallExecuteSequence.idt"
rm -rf "$idt"
ls -l "$msi"
files=$(msiextract -l "$msi")
echo "$files"
echo "$files" | grep -q '/trainprint.exe$' || { echo "the MSI lacks trainprint.exe"; exit 1; }
echo "$files" | grep -q '/trainprint-gui.exe$' || { echo "the MSI lacks trainprint-gui.exe"; exit 1; }
echo "$files" | grep -q 'LICENSE-MIT.txt' || { echo "the MSI lacks the licence"; exit 1; }
msiinfo export "$msi" Shortcut | grep 'TrainprintShortcut' | grep -q 'trainprint-gui.exe' || { echo "the MSI lacks the Start-menu shortcut to trainprint-gui.exe"; exit 1; }
msiinfo export "$msi" Environment | grep -q 'PATH' || { echo "the MSI lacks the PATH entry"; exit 1; }
echo "MSI holds both programs, the licence, the Start-menu shortcut to trainprint-gui.exe and the PATH entry"
