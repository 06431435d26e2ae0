#!/usr/bin/env node
// Writes the one-file page: SITE/digit-drawer.html, the whole site (page, styles, scripts, the
// WebAssembly module, the weights file of each model it lists, the icon) in one self-contained HTML file, for a
// USB stick or a tablet with no network. Browsers run no module files from file://, so:
//   - app.js and every module it imports are bundled into one inline module (esbuild, pinned in
//     package-lock.json); the message catalogues (messages/*.js), i18n.js, startup-check.js and
//     style.css are inlined as they are;
//   - digit-drawer.wasm and the models' weights files go in as base64 in
//     <script type="application/octet-stream" data-file=NAME> elements, which web/engine.js reads
//     when <html data-build="one-file">;
//   - the icon becomes a data: URL; the manifest, preloads and the service worker are left out
//     (a file cannot be installed, and needs no cache);
//   - the Content-Security-Policy allows exactly these inline scripts and styles (by SHA-256)
//     and no network at all (default-src 'none').
// Run by the site build (wasm/CMakeLists.txt) once the rest of the site is in place:
//
//   node wasm/site/single_file.mjs SITE_DIR
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';

import { isMainModule } from './cli.mjs';
import { siteModels } from './models.mjs';

// The classic scripts index.html loads before its module, in its order: the message catalogues,
// then i18n.js and startup-check.js.
const kClassicScript = /\s*<script defer src="([^"]+)"><\/script>/g;

export const kOutputName = 'digit-drawer.html';

const sha256 = (text) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;

// Replaces the one match of `pattern` in `html`; index.html changing under this script is an
// error that says so, never a page silently missing a part.
function replaceOnce(html, pattern, replacement) {
  const matches = html.match(new RegExp(pattern, 'g')) ?? [];
  if (matches.length !== 1) {
    throw new Error(`index.html has ${matches.length} matches of ${pattern}, expected 1: ` +
                    'update wasm/site/single_file.mjs to the page');
  }
  return html.replace(pattern, () => replacement);
}

// Text inlined as it will be hashed: browsers hash an inline script or style after turning every
// CRLF into LF (a Windows checkout must not break the CSP).
const inlineText = (buffer) => buffer.toString('utf8').replace(/\r\n?/g, '\n').trim();

// Inline script text must neither close its element early nor open an HTML comment in it.
function inlineScript(code) {
  if (/<\/script|<!--/i.test(code)) throw new Error('a script contains "</script" or "<!--": it cannot be inlined');
  return code;
}

export async function writeSingleFile(dir) {
  const read = (name) => fs.readFileSync(path.join(dir, name));
  const bundle = await build({
    entryPoints: [path.join(dir, 'app.js')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2020'],
    write: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  const appCode = inlineScript(inlineText(Buffer.from(bundle.outputFiles[0].contents)));
  const page = read('index.html').toString('utf8');
  const classicCode = [...page.matchAll(kClassicScript)].map(([, src]) => inlineScript(inlineText(read(src))));
  if (!classicCode.length) throw new Error('index.html loads no classic script: update wasm/site/single_file.mjs');
  const css = inlineText(read('style.css'));
  const iconUrl = `data:image/svg+xml,${encodeURIComponent(read('icon.svg').toString('utf8').trim())}`;

  const csp = ["default-src 'none'",
               `script-src ${classicCode.map(sha256).join(' ')} ${sha256(appCode)} 'wasm-unsafe-eval' 'unsafe-eval'`,
               `style-src ${sha256(css)}`, 'img-src data:', "base-uri 'none'", "form-action 'none'"]
    .join('; ');

  // Comments go: they explain the site's files, which this page does not have.
  let html = page.replace(/\s*<!--[\s\S]*?-->/g, '');
  html = replaceOnce(html, /<html lang="en">/, '<html lang="en" data-build="one-file">');
  html = replaceOnce(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
                     `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  html = replaceOnce(html, /<link rel="icon" href="icon\.svg"[^>]*>/,
                     `<link rel="icon" href="${iconUrl}" type="image/svg+xml">`);
  html = replaceOnce(html, /<link rel="stylesheet" href="style\.css">/, `<style>${css}</style>`);
  html = html.replace(kClassicScript, '');
  html = replaceOnce(html, /\s*<script type="module" src="app\.js"><\/script>/, '');
  // Preloads, the manifest and the PNG icons: files a file cannot have.
  html = html.replace(/\s*<link rel="(modulepreload|preload|manifest|apple-touch-icon)"[^>]*>/g, '')
    .replace(/\s*<link rel="icon" href="[^"]+\.png"[^>]*>/g, '');  // the SVG one is inside
  if (/\s(src|href)="(?!data:)[^"]+"/.test(html.replace(/<a class="button" href="">/, ''))) {
    throw new Error('index.html refers to a file this script does not inline: update it');
  }
  // After the markup, the words and the startup check (a classic script runs as it is parsed, so
  // startup-check.js also reports a copy that was cut short), the files, the module, and an end
  // marker: a copy cut short anywhere before it has none (a script element cut short still exists,
  // but never runs).
  const embedded = ['digit-drawer.wasm', ...(await siteModels(dir)).map((m) => m.file)];
  const files = embedded.map((name) => '<script type="application/octet-stream" ' +
                              `data-file="${name}">${read(name).toString('base64')}</script>`);
  html = replaceOnce(html, /<\/body>/, `${classicCode.map((code) => `<script>${code}</script>`).join('\n')}\n${files.join('\n')}\n` +
                     `<script type="module">${appCode}</script>\n<p id="end-of-file" hidden></p>\n</body>`);
  fs.writeFileSync(path.join(dir, kOutputName), html);
  return { bytes: Buffer.byteLength(html) };
}

if (isMainModule(import.meta.url)) {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node wasm/site/single_file.mjs SITE_DIR\n');
    process.exit(2);
  }
  try {
    const { bytes } = await writeSingleFile(dir);
    console.log(`single_file: ${path.join(dir, kOutputName)}, ${bytes.toLocaleString('en-US')} bytes`);
  } catch (error) {
    process.stderr.write(`single_file: ${error.message}\n`);
    process.exit(1);
  }
}
