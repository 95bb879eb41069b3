#!/usr/bin/env bash
# Starts the real release binary under a virtual X display with a clean config directory and fails unless a
# window titled "Trainprint" appears within 30 seconds. Installs Xvfb and the graphics libraries it needs.
set -euo pipefail
bin=${1:-target/release/trainprint}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
ls /usr/lib/*/libxkbcommon-x11.so.0 /usr/lib/*/libEGL_mesa.so.0 /usr/lib/*/libvulkan.so.1 >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} and the graphics libraries"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0 libegl1 libegl-mesa0 libgl1-mesa-dri libvulkan1 \
    mesa-vulkan-drivers >/dev/null
fi

tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"; mkdir -m 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY
disp=:$((200 + RANDOM % 100))
Xvfb "$disp" -screen 0 1600x1000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 & xvfb=$!
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
    exit 0
  fi
  kill -0 "$app" 2>/dev/null || { echo "the app exited before showing a window:"; cat "$tmp/app.log"; exit 1; }
  sleep 0.1
done
echo "no window titled Trainprint within 30 s"; cat "$tmp/app.log"; exit 1
