// wasm/site/serve.mjs, the static server of scripts/serve.sh and of the browser tests: the right
// types for the site's files, and nothing outside the served folder, whatever the request.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { repoRoot } from './browser.mjs';
import { startServer } from '../../wasm/site/serve.mjs';

const serveScript = path.join(repoRoot, 'wasm/site/serve.mjs');
let root;
let server;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-test-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(root, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  fs.writeFileSync(path.join(root, 'a.js'), 'export {};');
  fs.mkdirSync(path.join(root, 'weights'));
  fs.writeFileSync(path.join(root, 'weights/x.bin'), Buffer.alloc(10));
  fs.symlinkSync('/etc', path.join(root, 'etc-link'));
  server = await startServer({ root, port: 0 });
});
after(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

// A raw request, so that paths reach the server exactly as written (no URL normalisation).
function request(rawPath, method = 'GET', port = server.port) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                                    body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the site with the types browsers need', async () => {
  const cases = { '/': 'text/html', '/a.js': 'text/javascript', '/m.wasm': 'application/wasm',
                  '/weights/x.bin': 'application/octet-stream' };
  for (const [p, type] of Object.entries(cases)) {
    const res = await request(p);
    assert.equal(res.status, 200, p);
    assert.ok(res.headers['content-type'].startsWith(type), `${p}: ${res.headers['content-type']}`);
    assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp');
  }
  assert.deepEqual([...(await request('/m.wasm')).body], [0, 0x61, 0x73, 0x6d]);
  assert.equal((await request('/weights')).status, 301);
  assert.equal((await request('/missing.js')).status, 404);
  assert.equal((await request('/a.js', 'POST')).status, 405);
  assert.equal((await request('/a.js', 'HEAD')).body.length, 0);
});

test('never serves a file outside the folder', async () => {
  for (const p of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd',
                   '/etc-link/passwd', '/weights/..%5c..%5cetc/passwd']) {
    const res = await request(p);
    assert.ok([400, 403, 404].includes(res.status), `${p}: ${res.status}`);
    assert.ok(!res.body.toString().includes('root:'), p);
  }
  assert.equal((await request('/%zz')).status, 400);
});

test('--base serves the site under a sub-path only, as GitHub Pages does', async () => {
  const sub = await startServer({ root, port: 0, base: '/digit-drawer/' });
  try {
    assert.equal(sub.url, `http://127.0.0.1:${sub.port}/digit-drawer/`);
    assert.equal((await request('/digit-drawer/', 'GET', sub.port)).status, 200);
    assert.equal((await request('/digit-drawer/weights/x.bin', 'GET', sub.port)).status, 200);
    const bare = await request('/digit-drawer', 'GET', sub.port);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/digit-drawer/');
    assert.equal((await request('/digit-drawer/weights', 'GET', sub.port)).headers.location,
                 '/digit-drawer/weights/');
    for (const outside of ['/', '/a.js', '/digit-drawerx/a.js', '/digit-drawer/../a.js']) {
      assert.ok([403, 404].includes((await request(outside, 'GET', sub.port)).status), outside);
    }
  } finally {
    await sub.close();
  }
  await assert.rejects(startServer({ root, port: 0, base: 'digit-drawer' }), /--base must be a path/);
  await assert.rejects(startServer({ root, port: 0, base: '/../' }), /--base must be a path/);
});

test('the command line says what is wrong', async () => {
  const run = (...args) => promisify(execFile)('node', [serveScript, ...args])
    .then(() => ({ code: 0 }), (e) => ({ code: e.code, stderr: e.stderr }));
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-empty-'));
  const noSite = await run(empty, '--port', '0');
  assert.equal(noSite.code, 1);
  assert.match(noSite.stderr, /has no index\.html: build the site first/);
  const badPort = await run(root, '--port', 'abc');
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /port/i);
  const badBase = await run(root, '--port', '0', '--base', 'x');
  assert.equal(badBase.code, 1);
  assert.match(badBase.stderr, /--base must be a path/);
  fs.rmSync(empty, { recursive: true, force: true });
});
