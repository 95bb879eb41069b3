#!/usr/bin/env bash
# Starts the real release binary under a virtual X display with a clean config directory and fails unless a
# window titled "Trainprint" appears within 30 seconds and startup.log names the backend that drew it. Then starts
# it with a backend that cannot work here (TRAINPRINT_BACKEND=dx12 on Linux) and fails unless it says so in a
# message box (xmessage here: no zenity or kdialog), in startup.log, and with exit code 2: never silently.
# Installs Xvfb and the graphics libraries it needs.
set -euo pipefail
bin=${1:-target/release/trainprint}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v xmessage >/dev/null || need+=(x11-utils)
ls /usr/lib/*/libxkbcommon-x11.so.0 /usr/lib/*/libEGL_mesa.so.0 /usr/lib/*/libGLX_mesa.so.0 >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} and the graphics libraries"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0 libegl1 libegl-mesa0 libgl1 libglx-mesa0 libgl1-mesa-dri \
    >/dev/null
fi

tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"; mkdir -m 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY
# Xvfb picks a free display itself (-displayfd): a fixed or random number may be another session's server.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 & xvfb=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { echo "Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; }
disp=:$(cat "$tmp/display")
app=""
cleanup() { [ -n "$app" ] && kill "$app" 2>/dev/null; kill "$xvfb" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
for _ in $(seq 50); do DISPLAY=$disp xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

DISPLAY=$disp "$bin" >"$tmp/app.log" 2>&1 & app=$!
for _ in $(seq 300); do
  if DISPLAY=$disp xdotool search --name '^Trainprint$' >/dev/null 2>&1; then
    echo "a window titled Trainprint is up"
    sleep 2
    kill -0 "$app" 2>/dev/null || { echo "the app exited after showing its window:"; cat "$tmp/app.log"; exit 1; }
    up=1
    break
  fi
  kill -0 "$app" 2>/dev/null || { echo "the app exited before showing a window:"; cat "$tmp/app.log"; exit 1; }
  sleep 0.1
done
log=$XDG_DATA_HOME/trainprint/startup.log
[ -n "${up:-}" ] || { echo "no window titled Trainprint within 30 s"; cat "$tmp/app.log" "$log"; exit 1; }
for _ in $(seq 100); do grep -q 'first frame' "$log" 2>/dev/null && break; sleep 0.1; done
grep -Eq '^[a-z0-9]+: started in' "$log" || { echo "startup.log names no backend:"; cat "$log"; exit 1; }
echo "startup.log: $(grep -E '^[a-z0-9]+: started in' "$log")"
kill "$app"; wait "$app" 2>/dev/null || true; app=""

# No backend that works: a message box, the log, exit code 2.
rm -f "$log"
DISPLAY=$disp TRAINPRINT_BACKEND=dx12 "$bin" >"$tmp/fail.log" 2>&1 & app=$!
box=""
for _ in $(seq 300); do
  box=$(DISPLAY=$disp xdotool search --name '^Trainprint cannot open its window$' 2>/dev/null | head -1 || true)
  [ -n "$box" ] && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
[ -n "$box" ] || { echo "no message box when no backend works:"; cat "$tmp/fail.log"; exit 1; }
DISPLAY=$disp timeout 5 xdotool windowfocus "$box" key Return 2>/dev/null || true
for _ in $(seq 30); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
for pid in $(ps --ppid "$app" -o pid= 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
set +e; wait "$app"; code=$?; set -e; app=""
[ "$code" = 2 ] || { echo "exit code $code when no backend works, expected 2"; cat "$tmp/fail.log"; exit 1; }
grep -Eq '^dx12: (failed|not in this build)' "$log" || { echo "startup.log does not say dx12 failed:"; cat "$log"; exit 1; }
grep -Eq '^message box: (zenity|kdialog|xmessage)' "$log" || { echo "startup.log does not record the message box:"; cat "$log"; exit 1; }
echo "no backend: message box shown, startup.log written, exit code 2"

