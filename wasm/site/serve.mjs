#!/usr/bin/env node
// Serves the built Digit Drawer site (build/wasm/site) on localhost with nothing but Node itself.
//
//   node wasm/site/serve.mjs [DIR] [--port N] [--host H] [--base /PATH/]
//     (defaults: build/wasm/site, 8000, 127.0.0.1, /)
// --base serves DIR under a sub-path only, as GitHub Pages serves a project site
// (https://<user>.github.io/<repo>/): anything outside it is 404, so a URL that is not relative
// shows up.
//
// Or in-process, as the browser tests do:
//   import { startServer } from '../../wasm/site/serve.mjs';
//   const { url, close } = await startServer({ port: 0 });   // port 0 = any free port
//   ...; await close();
//
// Every response carries the cross-origin isolation headers (COOP same-origin + COEP require-corp):
// they make performance.now() precise in the page, which the latency benchmark relies on.
// GET and HEAD only; files outside DIR (by "..", encoded "..", or symlinks) are never served.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { isMainModule } from './cli.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultRoot = path.join(repoRoot, 'build', 'wasm', 'site');

// How many ports after the asked one to try when it is taken (8000 busy -> 8001 ... 8009).
const portAttempts = 10;

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

const commonHeaders = {
  'Cache-Control': 'no-cache',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};

function isInside(root, candidate) {
  return candidate === root || candidate.startsWith(root + path.sep);
}

function sendText(res, status, message, extraHeaders = {}) {
  res.writeHead(status, { ...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders });
  res.end(res.req.method === 'HEAD' ? undefined : message + '\n');
}

// `root` is a real (symlink-free) absolute path; `base` starts and ends with "/".
async function handle(root, base, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendText(res, 405, `${req.method} is not allowed here; this server only answers GET and HEAD.`,
                    { Allow: 'GET, HEAD' });
  }
  let rawPath = req.url.split(/[?#]/)[0];
  if (base !== '/') {
    if (rawPath === base.slice(0, -1)) return sendText(res, 301, 'Moved.', { Location: base });
    if (!rawPath.startsWith(base)) return sendText(res, 404, `Not found: ${rawPath} (the site is under ${base})`);
    rawPath = rawPath.slice(base.length - 1);
  }
  let urlPath;
  try {
    urlPath = decodeURIComponent(rawPath);
  } catch {
    return sendText(res, 400, 'The request path is not valid percent-encoding.');
  }
  if (!urlPath.startsWith('/') || urlPath.includes('\0')) return sendText(res, 400, 'The request path is malformed.');
  if (urlPath.split(/[/\\]/).includes('..')) return sendText(res, 403, 'Paths with ".." are refused.');

  let filePath = path.join(root, urlPath);
  let stat;
  try {
    filePath = await fs.promises.realpath(filePath);
    if (!isInside(root, filePath)) return sendText(res, 403, 'That path leads outside the served folder.');
    stat = await fs.promises.stat(filePath);
    if (stat.isDirectory()) {
      // Relative links in index.html resolve against the URL, so a folder must end with "/".
      // Leading slashes collapsed so "//host" cannot become a redirect to another site.
      const location = base.slice(0, -1) + rawPath.replace(/^\/+/, '/') + '/';
      if (!rawPath.endsWith('/')) return sendText(res, 301, 'Moved.', { Location: location });
      filePath = path.join(filePath, 'index.html');
      stat = await fs.promises.stat(filePath);
    }
  } catch {
    return sendText(res, 404, `Not found: ${urlPath}`);
  }
  if (!stat.isFile()) return sendText(res, 404, `Not found: ${urlPath}`);

  res.writeHead(200, {
    ...commonHeaders,
    'Content-Type': mimeTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
  });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(filePath)
    .on('error', () => res.destroy())
    .pipe(res);
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address().port);
    });
  });
}

// Serves `root` on host:port, or on one of the next few ports when that one is taken (port 0 =
// any free port), under the path `base`. Resolves to
// { url: 'http://127.0.0.1:8000/' (+ base), port, root, close() -> Promise }; rejects with a
// sentence when the site is not built, `base` is not a path, or no port could be had.
export async function startServer({ root = defaultRoot, port = 8000, host = '127.0.0.1', base = '/' } = {}) {
  if (!/^\/([\w.~-]+\/)*$/.test(base) || base.split('/').includes('..')) {
    throw new Error(`--base must be a path that starts and ends with "/", like /digit-drawer/, got '${base}'.`);
  }
  const resolvedRoot = path.resolve(root);
  if (!fs.existsSync(path.join(resolvedRoot, 'index.html'))) {
    throw new Error(`${resolvedRoot} has no index.html: build the site first ` +
                    `(cmake --preset wasm && cmake --build --preset wasm, or scripts/serve.sh).`);
  }
  const realRoot = fs.realpathSync(resolvedRoot);
  const server = http.createServer((req, res) => {
    handle(realRoot, base, req, res).catch(() => res.destroy());
  });

  const attempts = port === 0 ? 1 : portAttempts;
  for (let attempt = 0; attempt < attempts; ++attempt) {
    try {
      const boundPort = await listen(server, port + attempt, host);
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${urlHost}:${boundPort}${base}`,
        port: boundPort,
        root: realRoot,
        close: () => new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
      };
    } catch (error) {
      if (error.code !== 'EADDRINUSE') {
        throw new Error(`cannot listen on ${host}:${port + attempt} (${error.code ?? error.message}): ` +
                        `pick another address with --host H or port with --port N.`);
      }
    }
  }
  throw new Error(`ports ${port}-${port + attempts - 1} on ${host} are all in use: ` +
                  `pick a free one with --port N (0 = any).`);
}

const usage = 'usage: node wasm/site/serve.mjs [DIR] [--port N] [--host H] [--base /PATH/]\n' +
              '  DIR defaults to build/wasm/site; --port 8000 (0 = any free port); --host 127.0.0.1;\n' +
              '  --base / (a sub-path such as /digit-drawer/ serves the site only there, as GitHub Pages does)\n';

function parseArguments(argv) {
  const options = {};
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inlineValue] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s) : [argv[i]];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(usage);
      process.exit(0);
    }
    if (flag === '--port' || flag === '--host' || flag === '--base') {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value.`);
      if (flag === '--host' || flag === '--base') {
        options[flag.slice(2)] = value;
      } else {
        if (!/^\d+$/.test(value) || Number(value) > 65535) {
          throw new Error(`--port needs a whole number from 0 to 65535, got '${value}'.`);
        }
        options.port = Number(value);
      }
    } else if (flag.startsWith('-')) {
      throw new Error(`unknown option '${flag}'.`);
    } else if (options.root === undefined) {
      options.root = flag;
    } else {
      throw new Error(`only one DIR can be served, got '${options.root}' and '${flag}'.`);
    }
  }
  return options;
}

if (isMainModule(import.meta.url)) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`serve: ${error.message}\n${usage}`);
    process.exit(2);
  }
  try {
    const { url, port, root } = await startServer(options);
    if (options.host === '0.0.0.0' || options.host === '::') {
      // Listening on every interface: print the addresses a tablet on the network can open.
      const addresses = Object.values(os.networkInterfaces()).flat()
        .filter((a) => a && a.family === 'IPv4' && !a.internal)
        .map((a) => `http://${a.address}:${port}${options.base ?? '/'}`);
      console.log(`Digit Drawer: open ${addresses.join(' or ') || `http://<this computer>:${port}${options.base ?? '/'}`} ` +
                  `on any device of this network (serving ${root}; Ctrl+C to stop)`);
    } else {
      console.log(`Digit Drawer: ${url} (serving ${root}; Ctrl+C to stop)`);
    }
  } catch (error) {
    process.stderr.write(`serve: ${error.message}\n`);
    process.exit(1);
  }
}
