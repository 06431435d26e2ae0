// What the browser tests (tests/web/) and the browser benchmark (scripts/bench_web.mjs) share:
// Debian's Chromium started headless through playwright-core, and the drawn-digit stroke library
// of the native CLI.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'build/native/bin/digits');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps trying to reach the outside world.
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                      '--disable-component-update', '--no-first-run'];

async function playwrightChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    throw new Error('playwright-core is not installed: run npm ci in the repository first.');
  }
}

// Resolves to a playwright-core Browser, or rejects with a sentence saying what to install. Its
// contexts are incognito-like profiles.
export async function launchChromium() {
  return (await playwrightChromium())
    .launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

// A browser with an ordinary profile in `userDataDir`, as a person's browser has (e.g. to ask
// whether a page could be installed, which an incognito profile never allows). Resolves to its
// playwright-core BrowserContext; closing that closes the browser.
export async function launchChromiumProfile(userDataDir, contextOptions = {}) {
  return (await playwrightChromium()).launchPersistentContext(userDataDir, {
    executablePath: chromiumPath, args: chromiumArgs, headless: true, ...contextOptions,
  });
}

// The stroke styles of `digits drawn --strokes`: Hershey font glyphs and hand-made styles,
// [{ label, source, strokes: [[[x, y], ...], ...] }] in the unit square, y down. Cached.
let strokeLibrary;
export function strokeStyles() {
  if (strokeLibrary) return strokeLibrary;
  if (!fs.existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing; it writes the drawn digits: build the native tree ` +
                    'first (cmake --preset native && cmake --build --preset native).');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-strokes-'));
  try {
    const file = path.join(dir, 'strokes.json');
    execFileSync(cliPath, ['drawn', '--strokes', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    strokeLibrary = JSON.parse(fs.readFileSync(file, 'utf8')).styles;
    return strokeLibrary;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
