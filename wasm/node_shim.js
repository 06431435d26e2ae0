// Lets the ES module start in Node: see --extern-pre-js in wasm/CMakeLists.txt.
var __dirname = '.';
var require = (name) => { throw new Error(`digit-drawer.js reads no file (${name}): use instantiateWasm`); };
