#!/usr/bin/env node
// The sizes the README reports, from the built site (scripts/build_site.sh):
//   the site      every file the service worker keeps on a device (what a visit, then offline
//                 use, costs), plus sw.js itself;
//   the one file  digit-drawer.html, whose limit is 2.5 MB (2,621,440 bytes).
// Raw bytes and gzip -9 (node:zlib; GitHub Pages serves gzip).
//
//   node scripts/bench_size.mjs [SITE_DIR] [--json]      (npm run size)
//
// Exits 1 when the site is not built or the one file is over its limit.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { isMainModule } from '../wasm/site/cli.mjs';
import { kNotPrecached, siteFiles } from '../wasm/site/precache.mjs';
import { defaultRoot } from '../wasm/site/serve.mjs';
import { kOutputName } from '../wasm/site/single_file.mjs';

export const kOneFileLimit = 2.5 * 1024 * 1024;

// Raw and gzip -9 bytes of the site's file `file` ('/'-separated, relative to `dir`).
export function fileSizes(dir, file) {
  const bytes = fs.readFileSync(path.join(dir, file));
  return { file, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length };
}

const sum = (files, key) => files.reduce((total, f) => total + f[key], 0);

export function siteSizes(dir = defaultRoot) {
  if (!fs.existsSync(path.join(dir, kOutputName)) || !fs.existsSync(path.join(dir, 'sw.js'))) {
    throw new Error(`${dir} is not a built site: run scripts/build_site.sh first.`);
  }
  const files = siteFiles(dir).filter((f) => !kNotPrecached.has(f) || f === 'sw.js')
    .map((f) => fileSizes(dir, f));
  const oneFile = fileSizes(dir, kOutputName);
  return {
    site: { files, bytes: sum(files, 'bytes'), gzipBytes: sum(files, 'gzipBytes') },
    oneFile: { ...oneFile, limitBytes: kOneFileLimit, withinLimit: oneFile.bytes <= kOneFileLimit },
  };
}

function printTable({ site, oneFile }) {
  const n = (x) => x.toLocaleString('en-US');
  const row = (cells) => console.log(cells.map((c, i) => (i ? String(c).padStart(11) : c.padEnd(26))).join(''));
  row(['file', 'bytes', 'gzip -9']);
  for (const f of site.files) row([f.file, n(f.bytes), n(f.gzipBytes)]);
  row([`site (${site.files.length} files)`, n(site.bytes), n(site.gzipBytes)]);
  row([oneFile.file, n(oneFile.bytes), n(oneFile.gzipBytes)]);
  console.log(`${oneFile.file}: ${n(oneFile.bytes)} bytes ${oneFile.withinLimit ? '<=' : '>'} ` +
              `${n(oneFile.limitBytes)} (2.5 MB): ${oneFile.withinLimit ? 'within' : 'OVER'} the limit`);
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dirs = args.filter((a) => a !== '--json');
  if (dirs.length > 1 || dirs.some((a) => a.startsWith('-'))) {
    process.stderr.write('usage: node scripts/bench_size.mjs [SITE_DIR] [--json]\n');
    process.exit(2);
  }
  try {
    const report = siteSizes(dirs[0] ?? defaultRoot);
    if (json) console.log(JSON.stringify(report, null, 2));
    else printTable(report);
    process.exit(report.oneFile.withinLimit ? 0 : 1);
  } catch (error) {
    process.stderr.write(`bench_size: ${error.message}\n`);
    process.exit(1);
  }
}
