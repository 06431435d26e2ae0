#!/usr/bin/env node
// Writes the site's service worker: SITE/sw.js = the precache list of every file in SITE, each
// with its SHA-256, and a version that is the hash of that list and of the worker's own code,
// followed by web/sw.js (which explains how the list is used). Run by the site build (wasm/CMakeLists.txt) after every other
// file of the site is in place:
//
//   node wasm/site/precache.mjs SITE_DIR SW_SOURCE
//
// Not listed: sw.js itself, and digit-drawer.html, the one-file page, which is there to be
// downloaded and would only double what the device keeps.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { isMainModule, runStep } from './cli.mjs';
import { kOutputName as kOneFileName } from './single_file.mjs';

export const kNotPrecached = new Set(['sw.js', kOneFileName]);

// Every file under `dir`, as sorted '/'-separated paths relative to it.
export function siteFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name))
      .split(path.sep).join('/'))
    .filter((file) => !file.split('/').some((part) => part.startsWith('.')))
    .sort();
}

// `workerCode`: the text of web/sw.js. A new worker is a new version too, with a cache of its own.
export function precacheList(dir, workerCode) {
  const files = {};
  for (const file of siteFiles(dir).filter((f) => !kNotPrecached.has(f))) {
    files[file] = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
  }
  const version = crypto.createHash('sha256')
    .update(Object.entries(files).map(([file, hash]) => `${hash}  ${file}\n`).join(''))
    .update(workerCode)
    .digest('hex').slice(0, 16);
  return { version, files };
}

export function writeServiceWorker(dir, source) {
  const workerCode = fs.readFileSync(source, 'utf8');
  const list = precacheList(dir, workerCode);
  if (!list.files['index.html']) throw new Error(`${dir} has no index.html: is it the built site?`);
  const text = `const PRECACHE = ${JSON.stringify(list)};\n${workerCode}`;
  fs.writeFileSync(path.join(dir, 'sw.js'), text);
  return list;
}

if (isMainModule(import.meta.url)) {
  await runStep(import.meta.url, ['SITE_DIR', 'SW_SOURCE'], (dir, source) => {
    const { version, files } = writeServiceWorker(dir, source);
    return `sw.js version ${version}, ${Object.keys(files).length} files`;
  });
}
