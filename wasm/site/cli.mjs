// What the repository's node scripts share as commands: whether a module was started as the
// command (`node scripts/x.mjs ...`) rather than imported by another script or a test, and how a
// site build step runs as one.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

// Call with the module's own import.meta.url.
export function isMainModule(moduleUrl) {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

// Runs a site build step as a command: `operands` names its arguments (e.g. ['SITE_DIR',
// 'SOURCE_DIR']); `run(...args)` (maybe async) does the work and returns the line to print. A
// missing argument prints the usage (exit 2), a failure its message (exit 1), both as `<name>: ...`.
export async function runStep(moduleUrl, operands, run) {
  const script = `wasm/site/${fileURLToPath(moduleUrl).split(/[\\/]/).pop()}`;
  const name = script.split('/').pop().replace(/\.mjs$/, '');
  const args = process.argv.slice(2);
  if (args.length < operands.length || args.slice(0, operands.length).some((a) => !a)) {
    process.stderr.write(`usage: node ${script} ${operands.join(' ')}\n`);
    process.exit(2);
  }
  try {
    console.log(`${name}: ${await run(...args)}`);
  } catch (error) {
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
}
