#!/usr/bin/env node
// The message catalogues' share of the site build (web/messages/<language>.js, one per language,
// read by web/i18n.js). Run by the site build (wasm/CMakeLists.txt):
//   - copies every catalogue into SITE_DIR/messages/, and removes any other file there;
//   - writes SITE_DIR/manifest.webmanifest from web/manifest.webmanifest, with the app's name,
//     short name and description in every language (the manifest's *_localized members);
// and gives models.mjs, which writes index.html, the <script> lines that load the catalogues.
//
//   node wasm/site/messages.mjs SITE_DIR SOURCE_DIR
//
// readCatalogues(SOURCE_DIR) is every catalogue as an object, read the way a browser runs it:
// the tests use it too.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

import { isMainModule, runStep } from './cli.mjs';

export const kFallbackLanguage = 'en';
const kCataloguesMark = /[ \t]*<!-- message-catalogues:[^>]*-->/;

// The catalogues' files, relative to SOURCE_DIR/web: ['messages/ar.js', ...], sorted.
export function catalogueFiles(sourceDir) {
  const dir = path.join(sourceDir, 'web/messages');
  return fs.readdirSync(dir).filter((name) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*\.js$/.test(name))
    .sort().map((name) => `messages/${name}`);
}

// { <language code>: { key: text } } for every catalogue, each run as the classic script it is.
export function readCatalogues(sourceDir) {
  const context = vm.createContext({});
  context.self = context;
  const files = catalogueFiles(sourceDir);
  for (const file of files) {
    const fullPath = path.join(sourceDir, 'web', file);
    vm.runInContext(fs.readFileSync(fullPath, 'utf8'), context, { filename: fullPath });
  }
  const catalogues = context.digitDrawerMessages ?? {};
  const codes = files.map((f) => path.basename(f, '.js'));
  const stray = Object.keys(catalogues).filter((code) => !codes.includes(code));
  const silent = codes.filter((code) => !(code in catalogues));
  if (stray.length || silent.length) {
    throw new Error(`each web/messages/<code>.js must add the catalogue <code>: ` +
                    `${[...stray.map((c) => `${c} is added by no file of its name`),
                        ...silent.map((c) => `messages/${c}.js adds no catalogue ${c}`)].join('; ')}`);
  }
  if (!catalogues[kFallbackLanguage]) throw new Error(`there is no web/messages/${kFallbackLanguage}.js`);
  return JSON.parse(JSON.stringify(catalogues));
}

// `html` with the catalogues' mark replaced by one deferred <script> per catalogue, at the mark's
// indentation (deferred scripts run in order: all of them before i18n.js, which follows).
export function withCatalogues(html, files) {
  const found = html.match(kCataloguesMark);
  if (!found || html.match(new RegExp(kCataloguesMark.source, 'g')).length !== 1) {
    throw new Error('web/index.html needs exactly one <!-- message-catalogues: --> comment: ' +
                    'update wasm/site/messages.mjs to the page');
  }
  const indent = found[0].match(/^[ \t]*/)[0];
  return html.replace(kCataloguesMark,
                      () => files.map((f) => `${indent}<script defer src="${f}"></script>`).join('\n'));
}

// The manifest with its words in every language: name, short_name and description from the
// fallback catalogue, and the others in *_localized members (browsers that do not know them use
// the plain ones).
export function localizedManifest(manifest, catalogues) {
  const fields = { name: 'app.name', short_name: 'app.shortName', description: 'app.description' };
  const result = {};
  for (const [field, key] of Object.entries(fields)) result[field] = catalogues[kFallbackLanguage][key];
  Object.assign(result, manifest, { lang: kFallbackLanguage });
  for (const [field, key] of Object.entries(fields)) {
    const localized = {};
    for (const [code, words] of Object.entries(catalogues)) {
      if (code === kFallbackLanguage || words[key] === undefined) continue;
      localized[code] = words['language.dir'] === 'rtl' ? { value: words[key], dir: 'rtl' } : words[key];
    }
    result[`${field}_localized`] = localized;
  }
  return result;
}

export function writeMessages(siteDir, sourceDir) {
  const files = catalogueFiles(sourceDir);
  const catalogues = readCatalogues(sourceDir);
  const outDir = path.join(siteDir, 'messages');
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    const from = path.join(sourceDir, 'web', file);
    const to = path.join(siteDir, file);
    if (!fs.existsSync(to) || !fs.readFileSync(to).equals(fs.readFileSync(from))) fs.copyFileSync(from, to);
  }
  const wanted = new Set(files.map((f) => path.basename(f)));
  for (const name of fs.readdirSync(outDir)) {
    if (!wanted.has(name)) fs.rmSync(path.join(outDir, name), { recursive: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(sourceDir, 'web/manifest.webmanifest'), 'utf8'));
  fs.writeFileSync(path.join(siteDir, 'manifest.webmanifest'),
                   `${JSON.stringify(localizedManifest(manifest, catalogues), null, 2)}\n`);
  return Object.keys(catalogues).sort();
}

if (isMainModule(import.meta.url)) {
  await runStep(import.meta.url, ['SITE_DIR', 'SOURCE_DIR'],
                (siteDir, sourceDir) => writeMessages(siteDir, sourceDir).join(', '));
}
