#!/usr/bin/env bash
# Runs the cross-built Windows programs under Wine, as far as Wine allows (after .ci/windows-msi.sh built them):
#  1. the MSI installs trainprint.exe and trainprint-gui.exe and puts their folder on the system PATH;
#  2. the console program, found on that PATH by cmd, prints the README's worked example (460.8 kWh,
#     161.28 kgCO2e), and a bad input gives exit code 2, seen by a batch file's ERRORLEVEL and by `cmd /c`;
#  3. the GUI program, started under Xvfb with the default backend order, opens its window on a backend that
#     works after the first one (DX12) fails, says so in startup.log, and draws something (a screenshot that is
#     not blank). Where the first backend kills the process instead of failing, the second start must try it last.
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's standard library needs on Windows 10+: a stand-in
# exporting ProcessPrng (over BCryptGenRandom) is built with MinGW into the temporary Wine prefix only. It is a test
# fixture and is never shipped. Usage: .ci/windows-wine.sh [MSI]  (default target/msi/trainprint.msi)
set -euo pipefail
cd "$(dirname "$0")/.."
msi=$(realpath "${1:-target/msi/trainprint.msi}")
out=target/wine
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
# ImageMagick's import and its real convert (a stand-in convert elsewhere on the PATH does not bring import).
{ command -v import >/dev/null && [ -x /usr/bin/convert ]; } || need+=(imagemagick)
# Debian's own Vulkan loader and lavapipe (a libvulkan.so.1 that Chromium carries in /usr/lib/chromium is not one).
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/share/vulkan/icd.d/lvp_icd.x86_64.json \
  /usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0 >/dev/null 2>&1 || need+=(libvulkan1 mesa-vulkan-drivers libgl1-mesa-dri libegl-mesa0)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
mkdir -p "$out"
export WINEPREFIX=$tmp/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset WAYLAND_DISPLAY
# Xvfb picks a free display itself (-displayfd): a fixed or random number may be another session's server.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 & xvfb=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { echo "Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; }
export DISPLAY=:$(cat "$tmp/display")
cleanup() { wineserver -k 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

t0=$(date +%s)
wineboot -i >"$tmp/wineboot.log" 2>&1 || true
wineserver -w
sys32=$WINEPREFIX/drive_c/windows/system32
test -d "$sys32" || { echo "wineboot did not create a prefix"; cat "$tmp/wineboot.log"; exit 1; }
echo "Wine prefix ready in $(( $(date +%s) - t0 )) s ($(wine --version))"

# The ProcessPrng stand-in, into this prefix only.
cat >"$tmp/prng.c" <<'C'
#include <windows.h>
#include <bcrypt.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
C
printf 'LIBRARY bcryptprimitives\nEXPORTS\n    ProcessPrng\n' >"$tmp/prng.def"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$sys32/bcryptprimitives.dll" "$tmp/prng.c" "$tmp/prng.def" -lbcrypt

# 1. Install the MSI (quietly, per machine) and check the files, the shortcut and the PATH entry.
wine msiexec /i "$(winepath -w "$msi")" /qn >"$tmp/msiexec.log" 2>&1 || { cat "$tmp/msiexec.log"; echo "msiexec failed"; exit 1; }
wineserver -w
inst="$WINEPREFIX/drive_c/Program Files/Trainprint"
for f in trainprint.exe trainprint-gui.exe LICENSE-MIT.txt LICENSE-APACHE.txt; do
  test -f "$inst/$f" || { echo "the MSI did not install $f"; ls -la "$inst" || true; exit 1; }
done
find "$WINEPREFIX/drive_c" -iname 'Trainprint.lnk' | grep -q . || { echo "no Start-menu shortcut after install"; exit 1; }
path_value=$(wine reg query 'HKLM\System\CurrentControlSet\Control\Session Manager\Environment' /v PATH 2>/dev/null | tr -d '\r')
echo "$path_value" | grep -qi 'Program Files\\Trainprint' || { echo "the MSI did not put Trainprint on the PATH: $path_value"; exit 1; }
echo "MSI installed both programs, the licences and the shortcut, and put C:\\Program Files\\Trainprint on the PATH"
# A new Wine session reads the PATH the installer wrote, as a new cmd window on Windows would.
wineserver -k || true; wineserver -w || true

# 2. The console program, by name from the PATH, from batch files run by cmd.
cat >"$WINEPREFIX/drive_c/estimate.bat" <<'BAT'
@echo off
trainprint estimate --accelerator nvidia-a100-sxm4-40gb --count 8 --hours 120 --watts 400 --pue 1.2 --intensity 350 --format json
echo ERRORLEVEL=%ERRORLEVEL%
BAT
cat >"$WINEPREFIX/drive_c/bad.bat" <<'BAT'
@echo off
trainprint estimate --accelerator nvidia-a100-sxm4-40gb --count -8 --hours 120
echo ERRORLEVEL=%ERRORLEVEL%
exit /b %ERRORLEVEL%
BAT
wine cmd /c 'C:\estimate.bat' >"$out/estimate.txt" 2>"$tmp/estimate.err" || { cat "$tmp/estimate.err"; echo "estimate failed"; exit 1; }
tr -d '\r' <"$out/estimate.txt" | python3 -c '
import json, sys
text = sys.stdin.read()
body, _, tail = text.rpartition("ERRORLEVEL=")
assert tail.strip() == "0", f"ERRORLEVEL {tail.strip()!r}, expected 0"
doc = json.loads(body)
def find(o, key):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == key: yield v
            yield from find(v, key)
    elif isinstance(o, list):
        for v in o: yield from find(v, key)
kwh = [v for v in find(doc, "facility_energy_kwh")]
kg = [v for v in find(doc, "co2e_kg")]
assert kwh and abs(kwh[0] - 460.8) < 1e-9, f"facility kWh {kwh}, expected 460.8"
assert kg and abs(kg[0] - 161.28) < 1e-9, f"operational kgCO2e {kg}, expected 161.28"
print(f"estimate under Wine: {kwh[0]} kWh, {kg[0]} kgCO2e, ERRORLEVEL 0")
'
set +e
wine cmd /c 'C:\bad.bat' >"$out/bad.txt" 2>"$out/bad.err"
code=$?
set -e
tr -d '\r' <"$out/bad.txt" | grep -qx 'ERRORLEVEL=2' || { echo "bad input: the batch file saw $(tr -d '\r' <"$out/bad.txt"), expected ERRORLEVEL=2"; cat "$out/bad.err"; exit 1; }
[ "$code" = 2 ] || { echo "bad input: cmd /c exited $code, expected 2"; exit 1; }
grep -q 'count' "$out/bad.err" || { echo "bad input: no message naming --count on stderr"; cat "$out/bad.err"; exit 1; }
echo "bad input under Wine: ERRORLEVEL=2 in the batch file, cmd /c exit code 2, stderr: $(tr -d '\r' <"$out/bad.err" | head -1)"

# 3. The GUI program, default backends, under Xvfb. A backend can kill the process instead of failing (Wine's vkd3d
#    aborts where it finds no Vulkan driver it can use): startup.log then ends with that backend's "trying" line,
#    and the next start tries it last. The check starts the program a second time when that happens.
start_gui() {
  t0=$(date +%s.%N)
  wine "C:\\Program Files\\Trainprint\\trainprint-gui.exe" >"$tmp/gui.out" 2>"$tmp/gui.err" & gui=$!; disown "$gui"
  win=""
  for _ in $(seq 600); do
    win=$(xdotool search --name '^Trainprint$' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    kill -0 "$gui" 2>/dev/null || return 1
    sleep 0.1
  done
  [ -n "$win" ] || { echo "no window titled Trainprint within 60 s"; cat "$tmp/gui.err"; exit 1; }
  log=""
  for _ in $(seq 300); do
    log=$(find "$WINEPREFIX/drive_c/users" -path '*/Trainprint/Trainprint/data/startup.log' 2>/dev/null | head -1)
    [ -n "$log" ] && grep -q 'first frame' "$log" && return 0
    kill -0 "$gui" 2>/dev/null || return 1
    sleep 0.1
  done
  return 0
}
died_in=""
if ! start_gui; then
  log=$(find "$WINEPREFIX/drive_c/users" -path '*/Trainprint/Trainprint/data/startup.log' 2>/dev/null | head -1)
  [ -n "$log" ] || { echo "trainprint-gui.exe exited before writing startup.log:"; cat "$tmp/gui.err"; exit 1; }
  died_in=$(grep -v '^[[:space:]]*$' "$log" | tail -1 | sed -n 's/^\([a-z0-9]*\): trying$/\1/p')
  [ -n "$died_in" ] || { echo "trainprint-gui.exe exited, and startup.log does not end inside a backend:"; cat "$log"; cat "$tmp/gui.err"; exit 1; }
  echo "the first start died inside $died_in ($(grep -m1 -iE 'assert|abort|fault' "$tmp/gui.err" | head -c 160 || true)); starting again"
  start_gui || { echo "trainprint-gui.exe exited again:"; cat "$log"; cat "$tmp/gui.err"; exit 1; }
  grep -q "^$died_in: ended an earlier start" "$log" || { echo "the second start did not put $died_in last:"; cat "$log"; exit 1; }
fi
echo "window up after $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"
xdotool windowsize "$win" 1440 900 windowmove "$win" 0 0 2>/dev/null || true
log=""
for _ in $(seq 300); do
  log=$(find "$WINEPREFIX/drive_c/users" -path '*/Trainprint/Trainprint/data/startup.log' 2>/dev/null | head -1)
  [ -n "$log" ] && grep -q 'first frame' "$log" && break
  sleep 0.1
done
[ -n "$log" ] || { echo "no startup.log in the Wine prefix"; cat "$tmp/gui.err"; exit 1; }
sleep 3
import -window root "$out/gui.png"
cp "$log" "$out/startup.log" 2>/dev/null || true
kill -0 "$gui" 2>/dev/null || { echo "trainprint-gui.exe exited after showing its window:"; cat "$tmp/gui.err"; exit 1; }
echo "startup.log:"; sed 's/^/  /' "$out/startup.log"
grep -q 'first frame' "$out/startup.log" || { echo "no first frame in startup.log"; exit 1; }
started=$(grep -E '^[a-z0-9]+: started in' "$out/startup.log" | cut -d: -f1)
first=$(grep -E '^backends to try' "$out/startup.log" | sed 's/.*: //; s/,.*//')
[ -n "$started" ] || { echo "startup.log names no backend that started"; exit 1; }
if [ -n "$died_in" ]; then
  [ "$started" != "$died_in" ] || { echo "$died_in ended the first start and drew the second"; exit 1; }
  echo "fail-over across starts: $died_in ended the first start, the second tried it last and $started drew the window"
elif [ "$started" = "$first" ]; then
  echo "note: the first backend ($first) started, so no fail-over happened this time"
else
  grep -q "^$first: failed" "$out/startup.log" || { echo "$started started but $first did not fail"; exit 1; }
  echo "fail-over: $first failed, $started drew the window"
fi
colours=$(convert "$out/gui.png" -crop 1440x900+0+0 +repage -format %k info:)
[ "$colours" -ge 64 ] || { echo "the window looks blank ($colours colours), see $out/gui.png"; exit 1; }
echo "screenshot $out/gui.png: $colours colours"
