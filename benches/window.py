#!/usr/bin/env python3
"""How live the real Trainprint window is: keystroke to pixels, CPU per edit, idle CPU.

Starts the release binary on its own Xvfb display (Mesa's software rendering, as on a VM or a remote desktop),
types into one numeric field of the first plan over and over, and for each keystroke times how long it takes from
the X key event until the pixels of a result label change (read back from the X server), and how much CPU the app
spends until it is quiet again. Then it measures CPU per second while a text field merely has focus, and while
the pointer rests on a chart. Run on demand, like the other benches (not a test):

    cargo build --release && python3 benches/window.py [--bin target/release/trainprint]
        [--field X,Y] [--label X,Y,W,H] [--values 0.6,0.4] [--edits 20] [--shot OUT.png]

--field is a point inside the field typed into; --label the rectangle that must change; --shot saves a screenshot
with both marked (green: field, red: label), to check them when the layout moves. Needs Xvfb, xdotool and
ImageMagick (Debian packages) and python-xlib (installed into a private virtual environment on first use).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

VENV = os.path.join(os.path.expanduser("~"), ".cache", "trainprint-window-bench")
try:
    from Xlib import X, XK, display
    from Xlib.ext import xtest
except ImportError:
    if os.environ.get("TRAINPRINT_BENCH_VENV"):
        sys.exit("python-xlib is missing and could not be installed")
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "python-xlib"], check=True)
    os.environ["TRAINPRINT_BENCH_VENV"] = "1"
    os.execv(py, [py] + sys.argv)

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--bin", default="target/release/trainprint")
parser.add_argument("--field", default="541,636", help="X,Y inside the field typed into (the first plan's Utilisation)")
parser.add_argument("--label", default="410,135,200,40", help="X,Y,W,H of the label that must change")
parser.add_argument("--values", default="0.6,0.8", help="values typed in turn (each must change the label)")
parser.add_argument("--edits", type=int, default=20)
parser.add_argument("--shot", default="")
args = parser.parse_args()
fx, fy = (int(v) for v in args.field.split(","))
lx, ly, lw, lh = (int(v) for v in args.label.split(","))
values = args.values.split(",")


def ms():
    return time.monotonic() * 1e3


def cpu(pid):
    """User + system CPU time of a process, ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e3 / os.sysconf("SC_CLK_TCK")


def settle(pid, quiet=250, limit=6000):
    """Waits until the process has used no CPU for `quiet` ms (or `limit` ms passed)."""
    start = last_change = ms()
    seen = cpu(pid)
    while ms() - start < limit:
        time.sleep(0.02)
        now = cpu(pid)
        if now != seen:
            seen, last_change = now, ms()
        elif ms() - last_change >= quiet:
            return


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))] if xs else float("nan")


work = tempfile.mkdtemp(prefix="trainprint-window-bench.")
screen = f":{120 + os.getpid() % 60}"
xvfb = subprocess.Popen(["Xvfb", screen, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
app = None
try:
    xenv = {**os.environ, "DISPLAY": screen}
    for _ in range(100):
        if subprocess.run(["xdotool", "getmouselocation"], env=xenv, capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    runtime = os.path.join(work, "run")
    os.makedirs(runtime, mode=0o700)
    env = {k: v for k, v in xenv.items() if k != "WAYLAND_DISPLAY"}
    env.update(HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_CACHE_HOME=os.path.join(work, "cache"),
               XDG_DATA_HOME=os.path.join(work, "data"), XDG_RUNTIME_DIR=runtime)
    started = ms()
    app = subprocess.Popen([args.bin], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    window = None
    while window is None and ms() - started < 15000:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app.pid)], env=xenv,
                               capture_output=True, text=True).stdout.split()
        window = found[0] if found else None
        time.sleep(0.05)
    if window is None:
        sys.exit("no window within 15 s")
    mapped = ms() - started
    for cmd in (["windowsize", window, "1600", "1000"], ["windowmove", window, "0", "0"],
                ["windowfocus", window]):
        subprocess.run(["xdotool", *cmd], env=xenv)
    settle(app.pid, 600)

    x = display.Display(screen)
    root = x.screen().root

    def key(name, held=()):
        code = lambda n: x.keysym_to_keycode(XK.string_to_keysym(n))
        for h in held:
            xtest.fake_input(x, X.KeyPress, code(h))
        xtest.fake_input(x, X.KeyPress, code(name))
        xtest.fake_input(x, X.KeyRelease, code(name))
        for h in reversed(held):
            xtest.fake_input(x, X.KeyRelease, code(h))
        x.sync()

    def click(px, py):
        xtest.fake_input(x, X.MotionNotify, x=px, y=py)
        x.sync()
        time.sleep(0.05)
        xtest.fake_input(x, X.ButtonPress, 1)
        x.sync()
        time.sleep(0.04)  # press and release in one frame are not a click
        xtest.fake_input(x, X.ButtonRelease, 1)
        x.sync()

    def pixels():
        return root.get_image(lx, ly, lw, lh, X.ZPixmap, 0xFFFFFFFF).data

    if args.shot:
        subprocess.run(["import", "-window", "root", args.shot], env=xenv)
        subprocess.run(["convert", args.shot, "-fill", "none", "-stroke", "green", "-draw",
                        f"rectangle {fx - 5},{fy - 5} {fx + 5},{fy + 5}", "-stroke", "red", "-draw",
                        f"rectangle {lx},{ly} {lx + lw},{ly + lh}", args.shot])

    latencies, costs, unchanged = [], [], 0
    names = {".": "period", "-": "minus"}
    for i in range(args.edits):
        value = values[i % len(values)]
        click(fx, fy)
        settle(app.pid, 150)
        key("a", ("Control_L",))
        for ch in value[:-1]:
            key(names.get(ch, ch))
            time.sleep(0.03)
        settle(app.pid, 150)
        before, spent, t0 = pixels(), cpu(app.pid), ms()
        key(names.get(value[-1], value[-1]))
        seen = None
        while ms() - t0 < 3000:
            if pixels() != before:
                seen = ms() - t0
                break
            time.sleep(0.001)
        settle(app.pid, 250)
        if seen is None:
            unchanged += 1
        else:
            latencies.append(seen)
            costs.append(cpu(app.pid) - spent)
        key("Escape")
        settle(app.pid, 200)

    click(fx, fy)
    time.sleep(0.6)
    spent = cpu(app.pid)
    time.sleep(3.0)
    focused = (cpu(app.pid) - spent) / 3.0
    key("Escape")
    settle(app.pid, 300)
    xtest.fake_input(x, X.MotionNotify, x=1000, y=820)
    x.sync()
    time.sleep(0.5)
    spent = cpu(app.pid)
    time.sleep(3.0)
    resting = (cpu(app.pid) - spent) / 3.0

    print(f"window: {args.bin}, software rendering under Xvfb, 1600x1000")
    print(f"edits timed: {len(latencies)} (the label did not change after {unchanged})")
    print(f"keystroke to pixels: median {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms,"
          f" min {percentile(latencies, 0):.0f} ms")
    print(f"CPU per edit until quiet: median {percentile(costs, 0.5):.0f} ms"
          f" (mean {statistics.fmean(costs) if costs else float('nan'):.0f} ms)")
    print(f"CPU while a text field has focus: {focused:.0f} ms per s")
    print(f"CPU while the pointer rests on a chart: {resting:.0f} ms per s")
    print(f"window mapped {mapped:.0f} ms after start")
finally:
    if app:
        app.terminate()
        try:
            app.wait(5)
        except subprocess.TimeoutExpired:
            app.kill()
    xvfb.terminate()
