// The page away from a developer's machine (issue "Open it from a GitHub Pages link, and offline
// on a school tablet"): served under a sub-path as GitHub Pages does, installable, working
// offline after one visit through the service worker, updating without mixing versions, the
// one-file page from file:// with no network at all, and no request ever leaving the origin.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  clickAction, digitsFrom, drawStyle, kModelIds, predictions, repoRoot, screenshot, siteRoot, waitSettled,
} from './browser.mjs';
import { launchChromium, launchChromiumProfile } from './headless.mjs';
import { writeServiceWorker } from '../../wasm/site/precache.mjs';
import { kOneFileLimit } from '../../scripts/bench_size.mjs';
import { startServer } from '../../wasm/site/serve.mjs';

const kBase = '/digit-drawer/';  // as in https://<user>.github.io/digit-drawer/
const kPlacement = { x: 0.2, y: 0.15, size: 0.65 };

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

// A copy of the built site in a temporary folder, for the tests that change it.
function copySite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-drawer-site-'));
  fs.cpSync(siteRoot, dir, { recursive: true });
  return dir;
}

const kViewport = { width: 1024, height: 768 };

// Records in context.errors every uncaught error, console error or CSP violation of the context's
// pages (each test then expects none), and in context.requests / context.responses every request
// any of its pages or workers makes and every response that came back.
async function record(context) {
  context.requests = [];
  context.responses = [];
  context.errors = [];
  context.on('request', (r) => context.requests.push(r.url()));
  context.on('response', (r) => context.responses.push(r.url()));
  context.on('console', (m) => { if (m.type() === 'error') context.errors.push(`console: ${m.text()}`); });
  context.on('weberror', (e) => context.errors.push(`pageerror: ${e.error().message}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return context;
}

// A fresh browser context: an empty profile, no cache, no service worker.
async function newContext(options = {}) {
  return record(await browser.newContext({ viewport: kViewport, ...options }));
}

async function waitReady(page) {
  await waitSettled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready',
               await page.locator('#error-message').innerText().catch(() => ''));
}

// Draws a 3 and a 7 (Clear between) and checks that LeNet-5 reads both.
async function drawAndRead(page) {
  for (const digit of [3, 7]) {
    await clickAction(page, 'clear');
    await drawStyle(page, digitsFrom('futural.jhf')[digit], kPlacement);
    const p = await predictions(page);
    assert.deepEqual(Object.keys(p).sort(), [...kModelIds].sort());
    assert.equal(p.lenet.prediction, String(digit), JSON.stringify(p));
  }
}

// The service worker has saved the site: body[data-offline] says 'ready'.
async function waitSaved(page) {
  await page.waitForFunction(() => ['ready', 'failed', 'unavailable'].includes(document.body.dataset.offline),
                             null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.body.dataset.offline), 'ready');
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

// One visit that leaves the site saved for offline use.
async function visitAndSave(page, url) {
  await page.goto(url);
  await waitReady(page);
  await waitSaved(page);
}

describe('on a web server', () => {
  let server;
  before(async () => { server = await startServer({ root: siteRoot, port: 0, base: kBase }); });
  after(async () => { await server?.close(); });

  test('works under a sub-path, as on GitHub Pages, with no request leaving it', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(server.url);
    await waitReady(page);
    await drawAndRead(page);
    await waitSaved(page);
    assert.deepEqual(failed, []);
    const prefix = new URL(kBase, server.url).href;
    assert.deepEqual(context.requests.filter((url) => !url.startsWith(prefix)), []);
    assert.deepEqual(context.errors, []);
    await context.close();
  });

  test('is installable: manifest, icons and service worker as browsers want them', async () => {
    // An ordinary profile: Chromium never offers to install from an incognito one.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-drawer-profile-'));
    const context = await record(await launchChromiumProfile(profile, { viewport: kViewport }));
    const page = await context.newPage();
    await visitAndSave(page, server.url);
    const cdp = await context.newCDPSession(page);
    const { errors, data } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(errors, []);
    const manifest = JSON.parse(data);
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.name && manifest.short_name && manifest.theme_color);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    // Every icon is served, and each PNG is the size the manifest says.
    for (const icon of manifest.icons) {
      const response = await page.request.get(new URL(icon.src, server.url).href);
      assert.equal(response.status(), 200, icon.src);
      if (icon.type === 'image/png') {
        const png = await response.body();
        const side = `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;  // the IHDR chunk
        assert.equal(side, icon.sizes, icon.src);
      }
    }
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'));
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
    const touchIcon = await page.request.get(new URL('apple-touch-icon.png', server.url).href);
    assert.equal(touchIcon.status(), 200);
    assert.deepEqual(context.errors, []);
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  test('after one visit, opens and predicts with the network off', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await visitAndSave(page, server.url);
    // The first visit says so, once, for whoever prepares the tablet.
    assert.match(await page.locator('#offline-note').innerText(), /works without a network/);
    await screenshot(page, 'offline-saved');
    assert.equal((await cacheNames(page)).length, 1);

    await context.setOffline(true);
    const fromWorker = [];
    const fromNetwork = [];
    page.on('response', (r) => (r.fromServiceWorker() ? fromWorker : fromNetwork).push(r.url()));
    await page.reload();
    await waitReady(page);
    await drawAndRead(page);
    assert.equal(await page.evaluate(() => document.body.dataset.offline), 'ready');
    assert.ok(await page.locator('#offline-note').isHidden(), 'the note is for the first visit only');
    assert.deepEqual(fromNetwork, []);
    for (const file of ['', 'app.js', 'digit-drawer.wasm', 'weights/lenet.bin']) {
      assert.ok(fromWorker.includes(new URL(file, server.url).href), `${file || 'the page'} from the cache`);
    }
    await screenshot(page, 'offline-drawn');
    // A new tab, offline too: the way a tablet opens it the next morning.
    const later = await context.newPage();
    await later.goto(server.url);
    await waitReady(later);
    await drawAndRead(later);
    assert.deepEqual(context.errors, []);
    await context.close();
  });

  test('the Content-Security-Policy forbids remote scripts and connections', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await waitReady(page);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives['default-src'], ["'self'"]);
    for (const name of ['script-src', 'connect-src', 'style-src']) {
      assert.ok(directives[name].every((v) => v.startsWith("'")), `${name}: ${directives[name]}`);
      assert.ok(!directives[name].includes("'unsafe-inline'"), name);
    }
    // What a careless change or an injected tag would try: each is refused by the browser.
    const refused = await page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.src = 'https://cdn.example.com/analytics.js';
      const scriptDone = new Promise((resolve) => { script.onerror = resolve; script.onload = resolve; });
      document.head.append(script);
      await scriptDone;
      const fetched = await fetch('https://example.com/collect').then(() => 'sent', () => 'refused');
      const font = new FontFace('Remote', 'url(https://fonts.example.com/x.woff2)');
      const fontLoaded = await font.load().then(() => 'loaded', () => 'refused');
      await new Promise((resolve) => setTimeout(resolve, 100));  // violation events are queued
      return { violations, fetched, fontLoaded };
    });
    assert.equal(refused.fetched, 'refused');
    assert.equal(refused.fontLoaded, 'refused');
    for (const directive of ['script-src-elem', 'connect-src', 'font-src']) {
      assert.ok(refused.violations.includes(directive), `${directive} in ${refused.violations}`);
    }
    // Blocked before they were sent: no answer ever came from another origin.
    assert.deepEqual(context.responses.filter((url) => !url.startsWith(server.url)), []);
    await context.close();
  });
});

describe('updates', () => {
  let dir;
  let server;
  before(async () => {
    dir = copySite();
    server = await startServer({ root: dir, port: 0, base: kBase });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const site = (file) => path.join(dir, file);
  const workerSource = path.join(repoRoot, 'web/sw.js');
  // A new version of the site: a new title and a marker in app.js, with sw.js rebuilt.
  const publish = (title, marker, source = workerSource) => {
    // (Not the <title>, which the page sets from its words.)
    fs.writeFileSync(site('index.html'), fs.readFileSync(site('index.html'), 'utf8')
      .replace(/(<meta name="site-marker"[^>]*>)?\s*<\/head>/, `<meta name="site-marker" content="${title}">\n</head>`));
    fs.appendFileSync(site('app.js'), `\nwindow.siteMarker = '${marker}';\n`);
    return writeServiceWorker(dir, source).version;
  };
  const versionOf = async (page) => page.evaluate(() => [
    document.querySelector('meta[name="site-marker"]')?.content ?? 'Digit Drawer', window.siteMarker ?? null]);
  const cacheOf = (version) => `digit-drawer ${server.url} ${version}`;

  // Asks the browser to look for a new sw.js now; resolves to what became of the new worker.
  const checkForUpdate = (page) => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update();
    const worker = registration.installing;
    if (!worker) return 'no update found';
    return new Promise((resolve) => worker.addEventListener('statechange', () => {
      if (worker.state === 'redundant' || worker.state === 'installed') resolve(worker.state);
    }));
  });

  // Reloads `page` until the new version is downloaded and waiting.
  async function waitForWaitingVersion(page) {
    for (let waited = 0; ; waited += 200) {
      const waiting = await page.evaluate(async () =>
        (await navigator.serviceWorker.getRegistration()).waiting !== null);
      if (waiting) return;
      assert.ok(waited < 30000, 'the new version was not downloaded within 30 s');
      await page.waitForTimeout(200);
    }
  }

  test('a failed update leaves the version in use whole, and a whole one replaces it', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await visitAndSave(page, server.url);
    const [firstCache] = await cacheNames(page);
    const original = Object.fromEntries(['index.html', 'app.js', 'sw.js']
      .map((f) => [f, fs.readFileSync(site(f))]));
    const restore = () => Object.entries(original).forEach(([f, bytes]) => fs.writeFileSync(site(f), bytes));

    // Half published: sw.js lists a new app.js, but the server still has the old one.
    const halfVersion = publish('Digit Drawer (half)', 'half');
    fs.writeFileSync(site('app.js'), original['app.js']);
    assert.equal(await checkForUpdate(page), 'redundant');
    assert.deepEqual(await cacheNames(page), [firstCache]);
    assert.notEqual(firstCache, cacheOf(halfVersion));
    restore();

    // Only the worker's code changed, and a download fails (the weights are not there): a new
    // version too, refused, and the cache in use untouched.
    const changedWorker = path.join(dir, '..', `${path.basename(dir)}-sw.js`);
    fs.writeFileSync(changedWorker, `${fs.readFileSync(workerSource, 'utf8')}\n// changed\n`);
    writeServiceWorker(dir, changedWorker);
    fs.renameSync(site('weights/lenet.bin'), site('lenet.bin.away'));
    assert.equal(await checkForUpdate(page), 'redundant');
    fs.renameSync(site('lenet.bin.away'), site('weights/lenet.bin'));
    fs.rmSync(changedWorker);
    assert.deepEqual(await cacheNames(page), [firstCache]);
    restore();
    await context.setOffline(true);
    await page.reload();
    await waitReady(page);
    assert.deepEqual(await versionOf(page), ['Digit Drawer', null]);
    await context.setOffline(false);

    // Published whole: the next visit downloads it in the background and still shows the old...
    const newVersion = publish('Digit Drawer 2', 'v2');
    await page.reload();
    await waitReady(page);
    assert.deepEqual(await versionOf(page), ['Digit Drawer', null], 'this visit: all old');
    await waitForWaitingVersion(page);
    // ...while a second tab is open, neither switches (each keeps the files it started with)...
    const second = await context.newPage();
    await second.goto(server.url);
    await waitReady(second);
    await page.reload();
    await waitReady(page);
    await page.waitForTimeout(500);  // time for a switch, if one wrongly happened
    assert.deepEqual(await versionOf(page), ['Digit Drawer', null]);
    assert.deepEqual(await versionOf(second), ['Digit Drawer', null]);
    await second.close();
    // ...and alone, the next visit switches before anything is drawn, to all new files.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('meta[name="site-marker"]')?.content ===
                               'Digit Drawer 2' && document.body.dataset.state === 'ready', null,
                               { timeout: 15000 });
    assert.deepEqual(await versionOf(page), ['Digit Drawer 2', 'v2']);
    assert.deepEqual(await cacheNames(page), [cacheOf(newVersion)]);
    await context.setOffline(true);
    const offlinePage = await context.newPage();
    await offlinePage.goto(server.url);
    await waitReady(offlinePage);
    assert.deepEqual(await versionOf(offlinePage), ['Digit Drawer 2', 'v2']);
    await drawAndRead(offlinePage);
    assert.deepEqual(context.errors, []);
    await context.close();
  });

  test('two copies of the site on one origin keep their own offline copies', async () => {
    // As https://<user>.github.io/digit-drawer/ and /digit-drawer-test/ share an origin.
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-drawer-origin-'));
    fs.writeFileSync(path.join(parent, 'index.html'), '<!doctype html><title>origin</title>');
    for (const name of ['a', 'b']) fs.cpSync(siteRoot, path.join(parent, name), { recursive: true });
    const shared = await startServer({ root: parent, port: 0 });
    const context = await newContext();
    try {
      const page = await context.newPage();
      for (const name of ['a', 'b']) await visitAndSave(page, `${shared.url}${name}/`);
      assert.equal((await cacheNames(page)).length, 2);
      await context.setOffline(true);
      for (const name of ['a', 'b']) {
        await page.goto(`${shared.url}${name}/`);
        await waitReady(page);
      }
      await drawAndRead(page);
      assert.deepEqual(context.errors, []);
    } finally {
      await context.close();
      await shared.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('the one-file page', () => {
  const oneFile = path.join(siteRoot, 'digit-drawer.html');

  // Opens `file` from file:// with the network off and every request that is not the file
  // itself aborted; returns the page and what it asked for.
  async function openFile(file) {
    const context = await newContext({ offline: true });
    await context.route('**/*', (route) => (route.request().url() === pathToFileURL(file).href ?
      route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await waitSettled(page);
    return { context, page };
  }

  test(`is one file of at most 2.5 MB with everything inside`, () => {
    const { size } = fs.statSync(oneFile);
    assert.ok(size <= kOneFileLimit, `${size} bytes`);
    const html = fs.readFileSync(oneFile, 'utf8');
    assert.doesNotMatch(html, /\s(src|href)="(?!data:)[^"]+"/);  // no file it would need beside it
    assert.match(html, /<html lang="en" data-build="one-file">/);
  });

  test('opens from file:// with every request blocked, and predicts', async () => {
    const { context, page } = await openFile(oneFile);
    await waitReady(page);
    await drawAndRead(page);
    await screenshot(page, 'one-file');
    assert.equal(await page.evaluate(() => document.body.dataset.offline), 'unavailable');
    assert.deepEqual(context.requests.filter((url) => url !== pathToFileURL(oneFile).href), []);
    assert.deepEqual(context.errors, []);
    await context.close();
  });

  test('says what to do when the file is damaged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-drawer-file-'));
    const html = fs.readFileSync(oneFile, 'utf8');
    const cases = {
      // A copy cut short: the weights end mid-way, and the module after them is gone.
      'cut short': [html.slice(0, html.indexOf('data-file="weights/lenet.bin"') + 5000),
                    /incomplete: it was cut short/],
      // Cut inside the module itself: its element exists, but never runs.
      'cut short in the module': [html.slice(0, html.indexOf('<script type="module">') + 5000),
                                  /incomplete: it was cut short/],
      // The header's first six bytes (its magic) overwritten with 0xff.
      'bytes that are not base64': [html.replace(/(data-file="digit-drawer\.wasm">)/, '$1%%'),
                                    /incomplete or damaged/],
    };
    for (const [name, [text, message]] of Object.entries(cases)) {
      assert.notEqual(text, html, name);
      const file = path.join(dir, `${name.replaceAll(' ', '-')}.html`);
      fs.writeFileSync(file, text);
      const { context, page } = await openFile(file);
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'error', name);
      assert.match(await page.locator('#error-message').innerText(), message, name);
      assert.match(await page.locator('#error-hint').innerText(), /Copy digit-drawer\.html again/, name);
      await screenshot(page, `one-file-${name.replaceAll(' ', '-')}`);
      await context.close();
    }
    // A damaged weight file (its magic overwritten with 0xff): that machine says so, the others
    // keep guessing.
    const file = path.join(dir, 'damaged-weights.html');
    fs.writeFileSync(file, html.replace(/(data-file="weights\/lenet\.bin">)[\w+/]{8}/, '$1////////'));
    const { context, page } = await openFile(file);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
    const lenet = page.locator('[data-model="lenet"]');
    assert.equal(await lenet.getAttribute('data-missing'), 'weights/lenet.bin');
    assert.match(await lenet.locator('.missing').innerText(), /Copy digit-drawer\.html again/);
    await drawStyle(page, digitsFrom('futural.jhf')[7], kPlacement);
    const p = await predictions(page);
    for (const id of kModelIds) assert.equal(p[id].prediction === '', id === 'lenet', `${id}: ${JSON.stringify(p)}`);
    await screenshot(page, 'one-file-a-damaged-weight-file');
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
