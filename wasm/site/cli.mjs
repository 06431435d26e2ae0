// What the repository's node scripts share as commands: whether a module was started as the
// command (`node scripts/x.mjs ...`) rather than imported by another script or a test.
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
