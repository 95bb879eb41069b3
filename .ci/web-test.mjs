// The browser test of the web version: serves a built site (bash .ci/web-build.sh OUT_DIR) on 127.0.0.1, opens it
// in headless Chromium (Debian's `chromium`), driven over the DevTools protocol through a pipe (no npm packages),
// and checks what a person would: the app starts without console errors, its first frame comes within 2 s of
// navigation, the window is populated (a screenshot with many colours, not a blank canvas), an edit typed into a
// plan's Count field changes its total as the engine says (linear in the count), the session survives a reload,
// a damaged stored session falls back to the example with a note, never a crash, File > Open reads a file through
// the browser's picker (and refuses a damaged one with its line and column), File > Export downloads a zip of
// the desktop's files, and live intensity is read where a provider allows pages and clearly refused where not. The
// page exposes `trainprint_state()` (plans, totals, field positions) that the test reads, and hooks that press
// File > Export and a region's "Fetch live".
// Usage: node .ci/web-test.mjs OUT_DIR [SCREENSHOT.png]   (also writes SCREENSHOT-chart.png: a chart the page exported)
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { inflateRawSync, inflateSync } from "node:zlib";

const site = process.argv[2];
const shotPath = process.argv[3];
if (!site || !existsSync(join(site, "index.html"))) {
  console.error("usage: node .ci/web-test.mjs OUT_DIR [SCREENSHOT.png]  (OUT_DIR from .ci/web-build.sh)");
  process.exit(2);
}
const FIRST_FRAME_LIMIT_MS = 2000;
const deadline = setTimeout(() => fail("the browser test took over 180 s"), 180_000);

// ---- a static server on loopback
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".png": "image/png" };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  if (path === "/favicon.ico") {
    // Asked for by the browser on the page that is not index.html (step 4); the site's icon is icon-256.png.
    res.writeHead(204);
    res.end();
    return;
  }
  const file = join(site, path === "/" ? "index.html" : path);
  try {
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));

// ---- a stand-in for the GB Carbon Intensity API on another port (so another origin): under /cors/ it allows
// pages to read it (Access-Control-Allow-Origin), under /nocors/ it does not. The bodies are the API's documented
// shapes (the same as tests/support_http).
const GB_NATIONAL = '{"data":[{"from":"2026-11-23T10:00Z","to":"2026-11-23T10:30Z","intensity":{"forecast":180,"actual":175,"index":"moderate"}}]}';
const GB_FW48H = '{"data":[{"from":"2026-11-23T10:30Z","to":"2026-11-23T11:00Z","intensity":{"forecast":172,"actual":null,"index":"moderate"}},{"from":"2026-11-23T11:00Z","to":"2026-11-23T11:30Z","intensity":{"forecast":160,"actual":null,"index":"moderate"}}]}';
const apiHits = [];
const api = createServer((req, res) => {
  apiHits.push(req.url);
  const cors = req.url.startsWith("/cors/");
  const path = req.url.replace(/^\/(no)?cors\//, "");
  const body = path === "intensity" ? GB_NATIONAL : /^intensity\/[^/]+\/fw48h$/.test(path) ? GB_FW48H : null;
  const headers = { "content-type": "application/json", ...(cors ? { "access-control-allow-origin": "*" } : {}) };
  res.writeHead(body ? 200 : 404, headers);
  res.end(body ?? "");
});
await new Promise((ok) => api.listen(0, "127.0.0.1", ok));
const apiBase = (kind) => encodeURIComponent(`http://127.0.0.1:${api.address().port}/${kind}/`);
const base = `http://127.0.0.1:${server.address().port}/index.html?gb_base=${apiBase("cors")}`;

// ---- Chromium over the DevTools protocol (messages are NUL-terminated JSON on fds 3 and 4)
const profile = mkdtempSync(join(tmpdir(), "trainprint-chromium-"));
const chrome = spawn("/usr/bin/chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--window-size=1600,1000",
  `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let chromeLog = "";
chrome.stderr.on("data", (d) => { chromeLog += d; });
chrome.on("exit", (code) => { if (!finished) fail(`chromium exited (${code}):\n${chromeLog.slice(-2000)}`); });

let nextId = 1;
const waiting = new Map();
const listeners = [];
let pending = "";
chrome.stdio[4].on("data", (chunk) => {
  pending += chunk.toString("utf8");
  let end;
  while ((end = pending.indexOf("\0")) >= 0) {
    const msg = JSON.parse(pending.slice(0, end));
    pending = pending.slice(end + 1);
    if (msg.id && waiting.has(msg.id)) {
      const { ok, no, method } = waiting.get(msg.id);
      waiting.delete(msg.id);
      msg.error ? no(new Error(`${method}: ${msg.error.message}`)) : ok(msg.result);
    } else if (msg.method) {
      for (const l of listeners) l(msg);
    }
  }
});
function cdp(method, params = {}, sessionId) {
  const id = nextId++;
  chrome.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + "\0");
  return new Promise((ok, no) => waiting.set(id, { ok, no, method }));
}

const errors = [];
let tolerated = /(?!)/; // console errors expected at this step (none but in the refused fetch)
let finished = false;
let passed = 0;
function fail(why) {
  console.error(`FAILED: ${why}`);
  if (errors.length) console.error("console errors:\n  " + errors.join("\n  "));
  console.error(`0 passed, 1 failed`);
  cleanup();
  process.exit(1);
}
function cleanup() {
  finished = true;
  clearTimeout(deadline);
  try { chrome.kill("SIGKILL"); } catch {}
  server.close();
  api.close();
  try { rmSync(profile, { recursive: true, force: true }); } catch {}
}
function check(cond, what) {
  if (!cond) fail(what);
  passed++;
  console.log(`ok - ${what}`);
}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const { targetId } = await cdp("Target.createTarget", { url: "about:blank" });
const { sessionId: sid } = await cdp("Target.attachToTarget", { targetId, flatten: true });
const page = (method, params) => cdp(method, params, sid);
listeners.push((m) => {
  if (m.sessionId !== sid) return;
  if (m.method === "Runtime.consoleAPICalled" && (m.params.type === "error" || m.params.type === "assert")) {
    errors.push(m.params.args.map((a) => a.value ?? a.description ?? "").join(" "));
  } else if (m.method === "Runtime.exceptionThrown") {
    errors.push(m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text);
  } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
    errors.push(`${m.params.entry.source}: ${m.params.entry.text} ${m.params.entry.url ?? ""}`);
  }
});
await page("Runtime.enable");
await page("Log.enable");
await page("Page.enable");
await page("Emulation.setDeviceMetricsOverride", { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });

async function evaluate(expression) {
  const r = await page("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
  return r.result.value;
}
const state = () => evaluate("window.trainprint_state ? window.trainprint_state() : null");
async function until(what, pred, ms = 20_000) {
  const t = Date.now();
  for (;;) {
    const s = await state();
    if (s && pred(s)) return s;
    if (errors.some((e) => !tolerated.test(e))) fail(`console errors while waiting for ${what}`);
    if (Date.now() - t > ms) fail(`timed out waiting for ${what}; last state: ${JSON.stringify(s)?.slice(0, 600)}`);
    await sleep(25);
  }
}
async function key(k, code, vk, modifiers = 0) {
  for (const type of ["keyDown", "keyUp"]) {
    await page("Input.dispatchKeyEvent", { type, key: k, code, windowsVirtualKeyCode: vk, modifiers });
  }
}
async function click(x, y) {
  for (const type of ["mouseMoved", "mousePressed", "mouseReleased"]) {
    await page("Input.dispatchMouseEvent", { type, x, y, button: "left", clickCount: 1 });
  }
}

// ---- a minimal PNG decoder (8-bit RGB/RGBA, not interlaced: what Chromium's screenshots are)
function decodePng(buf) {
  let pos = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = { 2: 3, 6: 4 }[data[9]];
      if (data[8] !== 8 || !channels || data[12] !== 0) throw new Error("unsupported PNG");
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, px };
}
// ---- the entries of a zip (stored or deflated), read from its central directory, each checked against its CRC-32
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function readZip(z) {
  const end = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip: no end of central directory");
  const count = z.readUInt16LE(end + 10);
  let at = z.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (z.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = z.readUInt16LE(at + 10), crc = z.readUInt32LE(at + 16), csize = z.readUInt32LE(at + 20);
    const nlen = z.readUInt16LE(at + 28), xlen = z.readUInt16LE(at + 30), clen = z.readUInt16LE(at + 32);
    const off = z.readUInt32LE(at + 42);
    const name = z.toString("utf8", at + 46, at + 46 + nlen);
    const start = off + 30 + z.readUInt16LE(off + 26) + z.readUInt16LE(off + 28);
    const raw = z.subarray(start, start + csize);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    out.push({ name, data, crcOk: data !== null && crc32(data) === crc });
    at += 46 + nlen + xlen + clen;
  }
  return out;
}
async function screenshot() {
  const { data } = await page("Page.captureScreenshot", { format: "png" });
  return Buffer.from(data, "base64");
}
function colours(img) {
  const counts = new Map();
  for (let i = 0; i < img.px.length; i += img.channels) {
    const k = (img.px[i] << 16) | (img.px[i + 1] << 8) | img.px[i + 2];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const top = Math.max(...counts.values());
  return { distinct: counts.size, otherShare: 1 - top / (img.width * img.height) };
}

// ---- 1. cold start: the first frame, no console errors, a populated window
const t0 = Date.now();
await page("Page.navigate", { url: base });
let s = await until("the first frame", (s) => s.frames > 0);
const firstFrame = s.first_frame_ms;
console.log(`first frame ${firstFrame.toFixed(0)} ms after navigation (performance.now()), ${Date.now() - t0} ms wall clock`);
check(firstFrame <= FIRST_FRAME_LIMIT_MS, `first frame within ${FIRST_FRAME_LIMIT_MS} ms of navigation (${firstFrame.toFixed(0)} ms)`);
check(s.workspace === "A100 vs H100" && s.plans.length === 2, `the first start shows the "A100 vs H100" example`);
await sleep(500);
const shot = await screenshot();
if (shotPath) writeFileSync(shotPath, shot);
const c = colours(decodePng(shot));
check(c.distinct > 200 && c.otherShare > 0.2,
  `a populated window (${c.distinct} colours, ${(c.otherShare * 100).toFixed(0)} % of pixels off the background)`);
check(errors.length === 0, "no console errors at start");

// ---- 2. an edit: File > New (Ctrl+N) gives two 8-accelerator, 24 h plans; type 16 into the first Count
await click(432, 43); // the "Plans" heading: focuses the canvas, nothing there reacts to a click
await key("n", "KeyN", 78, 2);
s = await until("File > New", (s) => s.workspace === "Untitled" && s.plans[0].count === 8 && s.fields.some((f) => f.label === "Count"));
const before = s.plans[0].total_kg_co2e;
const field = s.fields.find((f) => f.label === "Count");
await click(field.x + field.w / 2, field.y + field.h / 2);
await key("a", "KeyA", 65, 2); // select all
const shotBefore = await screenshot();
const t1 = Date.now();
await page("Input.insertText", { text: "16" });
s = await until("the typed count", (s) => s.plans[0].count === 16);
const edited = s.plans[0].total_kg_co2e;
console.log(`edit answered in ${Date.now() - t1} ms (typing to the state the page exposes)`);
check(Math.abs(edited - 2 * before) <= 1e-9 * edited,
  `typing 16 into Count doubles the plan's total CO2e (${before.toFixed(2)} -> ${edited.toFixed(2)} kg; 8 -> 16 accelerators, same hours)`);
await sleep(300);
// A second edit, once the page is warm: how long from typing to the new total.
await click(field.x + field.w / 2, field.y + field.h / 2);
await key("a", "KeyA", 65, 2);
const t2 = Date.now();
await page("Input.insertText", { text: "24" });
s = await until("the second typed count", (s) => s.plans[0].count === 24);
console.log(`a second edit answered in ${Date.now() - t2} ms`);
check(Math.abs(s.plans[0].total_kg_co2e - 3 * before) <= 1e-9 * s.plans[0].total_kg_co2e, "typing 24 triples it");
await key("a", "KeyA", 65, 2);
await page("Input.insertText", { text: "16" });
s = await until("the count back at 16", (s) => s.plans[0].count === 16);
await sleep(300);
const a = decodePng(shotBefore), b = decodePng(await screenshot());
let changed = 0;
for (let i = 0; i < a.px.length; i++) if (a.px[i] !== b.px[i]) changed++;
check(changed > 0, `the edit changed the picture (${changed} channel values)`);

// ---- 3. the session survives a reload (autosaved to the browser's storage 1.5 s after the edit)
await sleep(2500);
const stored = await evaluate("localStorage.getItem('trainprint.autosave.ron') || ''");
check(stored.includes('format: "trainprint-workspace"') && stored.includes("count: 16"), "the session is in the browser's storage as a workspace RON");
await page("Page.reload", {});
s = await until("the reloaded page", (s) => s.frames > 0);
check(s.workspace === "Untitled" && s.plans[0].count === 16 && s.plans[0].total_kg_co2e === edited,
  "after a reload the edited workspace is back");

// ---- 4. a damaged stored session falls back to the example, says so, and keeps the damaged text
// Leaving the app's page saves the session (eframe saves when a page is hidden), so the damage is done from
// another page of the same site, and then the app is opened again.
await page("Page.navigate", { url: base.replace("index.html", "icon-256.png") });
await sleep(300);
await evaluate("localStorage.setItem('trainprint.autosave.ron', '(format: \"trainprint-workspace\", version: 3, name: 42)')");
await page("Page.navigate", { url: base });
s = await until("the page with a damaged session", (s) => s.frames > 0);
check(s.workspace === "A100 vs H100" && /damaged/.test(s.banner ?? ""), `a damaged session: the example, and the banner says so ("${(s.banner ?? "").slice(0, 90)}…")`);
const kept = await evaluate("localStorage.getItem('trainprint.autosave.damaged.ron') || ''");
check(kept.includes("name: 42"), "the damaged session is kept in the browser's storage, not deleted");
check(errors.length === 0, "no console errors at any point");

// ---- 5. File > Open (Ctrl+O): the browser's file picker, then the same strict loader as a file on disk
// The picker (rfd) clicks its file input right away when the page has a user's activation (the click before the
// shortcut), so the browser's own chooser opens: the test intercepts it and answers with the file. Without an
// activation rfd shows its own small dialog instead: then the test sets the file and presses its Ok.
await page("Page.setInterceptFileChooserDialog", { enabled: true });
let chooser = null;
listeners.push((m) => { if (m.sessionId === sid && m.method === "Page.fileChooserOpened") chooser = m.params; });
async function pickFile(path) {
  chooser = null;
  await click(432, 43); // the "Plans" heading: focuses the canvas, nothing there reacts to a click
  await key("o", "KeyO", 79, 2);
  const t = Date.now();
  let overlay = false;
  while (!chooser && !(overlay = await evaluate("!!document.querySelector('#rfd-overlay:not(.hidden) #rfd-input')"))) {
    if (Date.now() - t > 10_000) fail(`the file picker did not open (${JSON.stringify(await state()).slice(0, 200)})`);
    await sleep(50);
  }
  if (chooser) {
    await page("DOM.setFileInputFiles", { backendNodeId: chooser.backendNodeId, files: [path] });
  } else {
    const { result } = await page("Runtime.evaluate", { expression: "document.getElementById('rfd-input')" });
    await page("DOM.setFileInputFiles", { objectId: result.objectId, files: [path] });
    await evaluate("[...document.querySelectorAll('.rfd-button')].find((b) => b.innerText === 'Ok').click()");
  }
}
await pickFile(join(process.cwd(), "presets/examples/llama-65b.ron"));
s = await until("the opened file", (s) => s.workspace === "LLaMA-65B as published");
check(/Opened llama-65b\.ron/.test(s.banner ?? "") && s.plans.every((p) => p.total_kg_co2e > 0),
  `Open reads a workspace file through the file picker (${s.plans.length} plan(s), "${s.banner}")`);
const bad = join(tmpdir(), `trainprint-bad-${process.pid}.ron`);
writeFileSync(bad, readFileSync("presets/examples/a100-vs-h100.ron", "utf8").replace("count: 64", "count: -64"));
await pickFile(bad);
s = await until("the refused file", (s) => /^Could not open/.test(s.banner ?? ""));
rmSync(bad, { force: true });
check(s.workspace === "LLaMA-65B as published" && /trainprint-bad-\d+\.ron:\d+:\d+/.test(s.banner),
  `a damaged file is refused with its line and column, and nothing changes ("${s.banner.slice(0, 100)}…")`);

// ---- 6. File > Export: the same files as the desktop's, as one zip download
const downloads = mkdtempSync(join(tmpdir(), "trainprint-downloads-"));
await cdp("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads, eventsEnabled: true });
const downloaded = new Promise((ok) => listeners.push((m) => {
  if (m.method === "Browser.downloadProgress" && m.params.state === "completed") ok();
}));
const t3 = Date.now();
await evaluate("window.trainprint_export()");
await Promise.race([downloaded, sleep(60_000)]);
const zipPath = join(downloads, "trainprint-export.zip");
check(existsSync(zipPath), `the export arrives as trainprint-export.zip (${Date.now() - t3} ms)`);
const entries = readZip(readFileSync(zipPath));
rmSync(downloads, { recursive: true, force: true });
const names = entries.map((e) => e.name);
const pngs = names.filter((n) => n.endsWith(".png"));
const svgs = names.filter((n) => n.endsWith(".svg"));
check(["summary.csv", "summary.md", "summary.json", "references.bib", "model-card.yaml"].every((n) => names.includes(n)) &&
  pngs.length >= 5 && pngs.length === svgs.length &&
  pngs.every((p) => names.includes(p.replace(/\.png$/, ".svg"))),
  `the zip holds the desktop's files: the five summaries and ${pngs.length} charts as PNG and SVG`);
check(entries.every((e) => e.crcOk), "every file in the zip is whole (its CRC-32 matches)");
const get = (n) => entries.find((e) => e.name === n).data;
check(pngs.every((n) => get(n).subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) &&
  svgs.every((n) => get(n).toString("utf8").includes("<svg")) &&
  JSON.parse(get("summary.json").toString("utf8")) !== null,
  "PNGs are PNGs, SVGs are SVG, the JSON parses");
if (shotPath) writeFileSync(shotPath.replace(/(\.png)?$/, "-chart.png"), get(pngs[0]));
const png = decodePng(get(pngs[0]));
const pc = colours(png);
check(png.width === 1600 && png.height === 900 && pc.distinct > 20,
  `a chart PNG from the page is 1600 x 900 with text and bars drawn (${pc.distinct} colours)`);

// ---- 7. live intensity over the browser's fetch: read where the provider allows it, a clear refusal where not
await evaluate("window.trainprint_fetch_live('gb')");
s = await until("the live reading", (s) => /^Live intensity/.test(s.banner ?? ""));
check(/Great Britain: 175 gCO2e\/kWh/.test(s.banner) && apiHits.some((h) => /fw48h$/.test(h)),
  `a provider that allows pages: the reading and its forecast arrive ("${s.banner.slice(0, 80)}…")`);
await page("Page.navigate", { url: base.replace(apiBase("cors"), apiBase("nocors")) });
s = await until("the page pointed at a provider without CORS", (s) => s.frames > 0);
const before5 = errors.length;
tolerated = /CORS policy|ERR_FAILED/;
await evaluate("window.trainprint_fetch_live('gb')");
s = await until("the refusal", (s) => /^Live intensity/.test(s.banner ?? ""), 20_000);
check(/CORS/.test(s.banner) && /desktop app/.test(s.banner),
  `a provider that does not allow pages: the banner says why and what to use instead ("${s.banner.slice(0, 110)}…")`);
// The browser itself logs the refused request; nothing else may have gone wrong.
const extra = errors.splice(before5).filter((e) => !/CORS policy|ERR_FAILED/.test(e));
tolerated = /(?!)/;
check(extra.length === 0, `no console errors besides the browser's own note of the refused request (${extra.join("; ")})`);

console.log(`${passed} passed, 0 failed`);
cleanup();
process.exit(0);
