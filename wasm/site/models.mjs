#!/usr/bin/env node
// The page's share of the model list, which only the module knows (the core's registry, through
// wasm/digit_drawer.cpp). Run by the site build (wasm/CMakeLists.txt) once the module and the
// page's files are in SITE_DIR:
//   - writes SITE_DIR/index.html from web/index.html, with one <link rel="preload"> per model's
//     weights file and one empty panel per model (app.js fills them, so they show while loading),
//     and the <script>s of the message catalogues (messages.mjs);
//   - copies each model's weights file (weights/<file>) from SOURCE_DIR, the repository, into
//     SITE_DIR/weights/, and removes any other file there.
//
//   node wasm/site/models.mjs SITE_DIR SOURCE_DIR
//
// siteModels(SITE_DIR) is the list itself, as the built engine.js reads it from the module in
// Node: the one-file build and the tests use it too.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { isMainModule, runStep } from './cli.mjs';
import { catalogueFiles, withCatalogues } from './messages.mjs';

// Where web/index.html wants the preloads and the panels.
const kPreloadsMark = /[ \t]*<!-- model-preloads:[^>]*-->/;
const kPanelsMark = /[ \t]*<!-- model-panels:[^>]*-->/;

// [{ index, id, name, file }] in display order; `file` relative to the site ('weights/x.bin').
export async function siteModels(siteDir) {
  const enginePath = path.join(siteDir, 'engine.js');
  if (!fs.existsSync(enginePath)) {
    throw new Error(`${siteDir} has no engine.js: build the site first (scripts/build_site.sh).`);
  }
  const { listModels } = await import(pathToFileURL(enginePath).href);
  return listModels({ readFile: (name) => fs.readFileSync(path.join(siteDir, name)) });
}

const attribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// `html` with each mark replaced by the lines for `models`, at the mark's indentation.
export function withModels(html, models) {
  const fill = (mark, line) => {
    const found = html.match(mark);
    if (!found || html.match(new RegExp(mark.source, 'g')).length !== 1) {
      throw new Error(`web/index.html needs exactly one ${mark.source.replace(/^.*<!--/, '<!--')} ` +
                      'comment: update wasm/site/models.mjs to the page');
    }
    const indent = found[0].match(/^[ \t]*/)[0];
    return html.replace(mark, () => models.map((m) => indent + line(m)).join('\n'));
  };
  html = fill(kPreloadsMark, (m) => `<link rel="preload" href="${attribute(m.file)}" as="fetch" crossorigin>`);
  return fill(kPanelsMark, (m) => `<section class="model" data-model="${attribute(m.id)}" ` +
                                  `data-name="${attribute(m.name)}"></section>`);
}

// Copies the models' weights files from `sourceDir` into the site (only when they differ, so
// their times stay put) and deletes whatever else is in the site's weights/.
function copyWeights(models, sourceDir, siteDir) {
  const wanted = new Set(models.map((m) => path.normalize(m.file)));
  for (const file of wanted) {
    const from = path.join(sourceDir, file);
    const to = path.join(siteDir, file);
    if (!fs.existsSync(from)) throw new Error(`${from} is missing: the module lists it (weights file of a model)`);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!fs.existsSync(to) || !fs.readFileSync(to).equals(fs.readFileSync(from))) fs.copyFileSync(from, to);
  }
  for (const dir of new Set([...wanted].map((f) => path.dirname(f)))) {
    for (const name of fs.readdirSync(path.join(siteDir, dir))) {
      if (!wanted.has(path.join(dir, name))) fs.rmSync(path.join(siteDir, dir, name), { recursive: true });
    }
  }
}

export async function writeModels(siteDir, sourceDir) {
  const models = await siteModels(siteDir);
  if (models.length === 0) throw new Error('the module lists no model');
  copyWeights(models, sourceDir, siteDir);
  const page = fs.readFileSync(path.join(sourceDir, 'web/index.html'), 'utf8');
  fs.writeFileSync(path.join(siteDir, 'index.html'),
                   withCatalogues(withModels(page, models), catalogueFiles(sourceDir)));
  return models;
}

if (isMainModule(import.meta.url)) {
  await runStep(import.meta.url, ['SITE_DIR', 'SOURCE_DIR'], async (siteDir, sourceDir) =>
    (await writeModels(siteDir, sourceDir)).map((m) => `${m.id} (${m.file})`).join(', '));
}
