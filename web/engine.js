// The only JavaScript that knows the WebAssembly module (wasm/digit_drawer.cpp). It loads the
// module and every model's weights file once, and turns a canvas's pixels into each model's ten
// probabilities. Everything else on the page calls createEngine() and engine.predict(); the heap,
// pointers and status codes stay in here. Preprocessing happens in C++ only: predict() hands over
// the canvas's raw RGBA buffer as it is.
import createDigitDrawerModule from './digit-drawer.js';

// What the module says of itself: its models (the core's registry, in display order, which is
// also the order of its outputs), the sizes of its results, and its status codes by name.
function describeModule(wasm) {
  const text = (ptr) => (ptr ? wasm.UTF8ToString(ptr) : null);
  const models = [];
  for (let i = 0; i < wasm._dd_model_count(); ++i) {
    models.push(Object.freeze({ index: i, id: text(wasm._dd_model_id(i)),
                                name: text(wasm._dd_model_name(i)),
                                file: text(wasm._dd_model_file(i)) }));
  }
  const status = {};
  for (let s = 0, name; (name = text(wasm._dd_status_name(s))) !== null; ++s) status[name] = s;
  const side = wasm._dd_image_side();
  return { models: Object.freeze(models), classes: wasm._dd_classes(), side, pixels: side * side,
           status: Object.freeze(status) };
}

// A failure the page shows to people, without words of its own (those are in the page's message
// catalogues): `code` says what went wrong, for the page to put into words:
//   'incomplete'  a file of the site (`file`) is missing or damaged
//   'noModels'    no model's weights file could be loaded
//   'predict'     the module refused a drawing
// `detail` is the technical reason, in English, for whoever set up the page (the console, and
// the error state's "details").
export class EngineError extends Error {
  constructor(code, { file = null, detail = '' } = {}) {
    super(detail ? `${code}${file ? ` (${file})` : ''}: ${detail}` : code);
    this.name = 'EngineError';
    this.code = code;
    this.file = file;
    this.detail = detail;
  }
}

// Fetches `url`, rejecting with an 'incomplete' EngineError for `file` unless the server answers
// 2xx.
async function fetchOk(url, file) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new EngineError('incomplete', { file, detail: `it could not be downloaded (${error.message})` });
  }
  if (!response.ok) {
    throw new EngineError('incomplete', {
      file, detail: `the server answered ${response.status} ${response.statusText}`.trim(),
    });
  }
  return response;
}

// How createEngine reads the site's files by default: fetched relative to `base`. A reader takes
// a file's name ('digit-drawer.wasm', or a model's weights file, e.g. 'weights/<id>.bin') and
// resolves to a Response or a Uint8Array, or rejects with an EngineError.
export function fetchedFiles(base) {
  return (name) => fetchOk(new URL(name, base), name);
}

// The files the one-file page (digit-drawer.html, written by wasm/site/single_file.mjs) carries
// inside itself, base64 in <script type="application/octet-stream" data-file=NAME> elements of
// `root` (its document); it can fetch nothing (its CSP says so, and file:// forbids it).
export function embeddedFiles(root) {
  return (name) => {
    const element = root.querySelector(`script[type="application/octet-stream"][data-file="${name}"]`);
    if (!element) throw new EngineError('incomplete', { file: name, detail: 'it is missing from this page' });
    let text;
    try {
      text = atob(element.textContent.trim());
    } catch {
      throw new EngineError('incomplete', { file: name, detail: 'it is damaged inside this page (not base64)' });
    }
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; ++i) bytes[i] = text.charCodeAt(i);
    return bytes;
  };
}

async function readBytes(readFile, name) {
  const source = await readFile(name);
  return source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer());
}

// Instantiates digit-drawer.wasm for the Emscripten glue (its instantiateWasm hook), so that a
// missing or damaged file gets a sentence instead of Emscripten's abort text. Compiles while
// downloading where the server sends application/wasm.
async function instantiateModule(readFile, imports) {
  const file = 'digit-drawer.wasm';
  const source = await readFile(file);
  try {
    if (source instanceof Uint8Array) return await WebAssembly.instantiate(source, imports);
    if (source.headers.get('Content-Type')?.startsWith('application/wasm')) {
      return await WebAssembly.instantiateStreaming(source, imports);
    }
    return await WebAssembly.instantiate(await source.arrayBuffer(), imports);
  } catch (error) {
    throw new EngineError('incomplete', {
      file, detail: `it is damaged or from another build of this page (${error.message})`,
    });
  }
}

// Starts the module (no weights yet). Rejects with an EngineError.
async function startModule(readFile) {
  // The glue waits for the instance from instantiateWasm; a failure there rejects `failed`.
  let rejectInstantiation;
  const failed = new Promise((_, reject) => { rejectInstantiation = reject; });
  try {
    return await Promise.race([failed, createDigitDrawerModule({
      print: () => {},
      printErr: (text) => console.warn('digit-drawer.wasm:', text),
      instantiateWasm(imports, receiveInstance) {
        instantiateModule(readFile, imports)
          .then(({ instance, module }) => receiveInstance(instance, module), rejectInstantiation);
        return {};  // the exports arrive later, through receiveInstance
      },
    })]);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('incomplete', {
      file: 'digit-drawer.wasm', detail: `it could not be started (${reason})`,
    });
  }
}

// The models the module lists, [{ index, id, name, file }], without loading any weights: what the
// site build writes into the page (wasm/site/models.mjs). `readFile` as for createEngine.
export async function listModels({ readFile = fetchedFiles(new URL('./', import.meta.url)) } = {}) {
  return describeModule(await startModule(readFile)).models;
}

// Loads the module and every model it lists. A model whose weights file is missing or damaged is
// listed with `error` (an EngineError) and left out of the predictions; the others work. Rejects
// with an EngineError when the module cannot start, or when no model loads ('noModels').
// Options:
//   readFile  where the files come from (see fetchedFiles): by default fetched from `base`, the
//             folder engine.js was served from; the one-file page passes embeddedFiles(document),
//             the Node tests a reader of build/wasm/site.
export async function createEngine({ base = new URL('./', import.meta.url),
                                     readFile = fetchedFiles(base) } = {}) {
  const wasm = await startModule(readFile);
  const lastError = () => wasm.UTF8ToString(wasm._dd_error());
  const { models: listed, classes, pixels: imagePixels, status: Status } = describeModule(wasm);

  // The weights download at once (the page's <link rel="preload">s, written by the site build from
  // the same list, started them while the module compiled).
  const weightFiles = listed.map((m) => readBytes(readFile, m.file));
  weightFiles.forEach((p) => p.catch(() => {}));  // reported below, in model order

  // Copies bytes into the module's input buffer; views are taken after the call that may grow
  // memory, never cached across calls.
  const copyIn = (bytes) => {
    const ptr = wasm._dd_input(bytes.length);
    if (!ptr) throw new EngineError('predict', { detail: lastError() });
    wasm.HEAPU8.set(bytes, ptr);
  };

  const MODELS = [];
  for (const [i, model] of listed.entries()) {
    let error = null;
    try {
      const bytes = await weightFiles[i];
      copyIn(bytes);
      if (wasm._dd_load(model.index, bytes.length) !== 0) {
        error = new EngineError('incomplete', {
          file: model.file, detail: `it is damaged or not a ${model.name} weights file: ${lastError()}`,
        });
      }
    } catch (failure) {
      if (!(failure instanceof EngineError)) throw failure;
      error = failure;
    }
    if (error) console.error(`Digit Drawer: ${model.name} cannot guess:`, error.message);
    MODELS.push(Object.freeze({ ...model, error }));
  }
  if (MODELS.every((m) => m.error)) {
    throw new EngineError('noModels', { detail: MODELS.map((m) => m.error.message).join('; ') });
  }

  // The models' insides (core/insight.h), read in place from the module's memory: for each model,
  // its arrays by name, each { name, data, length, shape, perImage } where `data` is a typed-array
  // view of the whole buffer (Float32Array or Int32Array, `capacity` elements) of which the first
  // `length` are this image's, row-major over `shape`. The objects are made once per model (and
  // again only if the module's memory grows) and updated in place by each explain(): no
  // allocation per frame. perImage false: the model's own weights (templates, filters).
  const insightViews = MODELS.map(() => ({ buffer: null, list: [], arrays: null }));
  function readInsight(i) {
    const views = insightViews[i];
    const model = MODELS[i].index;
    const count = wasm._dd_insight_count(model);
    if (!count) return null;
    if (views.buffer !== wasm.HEAPU8.buffer || views.list.length !== count) {
      views.buffer = wasm.HEAPU8.buffer;
      views.list = [];
      views.arrays = {};
      for (let k = 0; k < count; ++k) {
        const d = wasm._dd_insight_array(model, k) >> 2;
        const Type = wasm.HEAP32[d + 1] === 0 ? Float32Array : Int32Array;
        const a = { name: wasm.UTF8ToString(wasm.HEAP32[d]),
                    data: new Type(views.buffer, wasm.HEAP32[d + 2], wasm.HEAP32[d + 4]),
                    length: 0, shape: [], perImage: wasm.HEAP32[d + 5] === 1 };
        views.list.push(a);
        views.arrays[a.name] = a;
      }
    }
    // Only the sizes change from one image to the next (the forest's path), read in place.
    views.list.forEach((a, k) => {
      const d = wasm._dd_insight_array(model, k) >> 2;
      a.length = wasm.HEAP32[d + 3];
      a.shape.length = wasm.HEAP32[d + 6];
      for (let r = 0; r < a.shape.length; ++r) a.shape[r] = wasm.HEAP32[d + 7 + r];
    });
    return views.arrays;
  }

  // pixels: Uint8Array or Uint8ClampedArray (e.g. ImageData.data), width * height * 4 bytes of
  // RGBA, or width * height bytes of gray (0 background, 255 ink) with format 'gray'.
  // Returns { empty: true } when there is no ink, otherwise
  //   { empty: false, image: Float32Array(784) (the 28x28 the models saw, ink = 1),
  //     models: [{ id, proba: Float32Array(10), prediction, confidence }] in the module's order
  //             (null for a model that did not load),
  //     stepMs: { preprocess, <model id>: ms for each model } }.
  function predict(pixels, width, height, format = 'rgba') {
    copyIn(pixels);
    return results(wasm._dd_classify(width, height, format === 'gray' ? 0 : 1));
  }

  // predict(), with the insides of model `model` (its id; null: every model that loaded) from the
  // same forward pass, bit for bit the same result. `tree`: the forest's tree whose path to
  // record. Returns predict()'s result with `insight`: { <model id>: arrays by name (see above) }
  // for the models explained (none when the drawing is empty). The views stay valid until the
  // next predict() or explain().
  function explain(pixels, width, height, { model = null, tree = 0, format = 'rgba' } = {}) {
    const which = model === null ? -1 : MODELS.findIndex((m) => m.id === model);
    if (model !== null && (which < 0 || MODELS[which].error)) {
      throw new EngineError('predict', { detail: `there is no loaded model "${model}" to explain` });
    }
    copyIn(pixels);
    const status = wasm._dd_explain(width, height, format === 'gray' ? 0 : 1,
                                    which < 0 ? -1 : MODELS[which].index, tree);
    const result = results(status);
    result.insight = {};
    if (result.empty) return result;
    MODELS.forEach((m, i) => {
      if (m.error || (which >= 0 && i !== which)) return;
      result.insight[m.id] = readInsight(i);
    });
    return result;
  }

  // The results of the dd_classify or dd_explain that returned `status`.
  function results(status) {
    if (status === Status.empty) return { empty: true };
    if (status !== Status.ok) throw new EngineError('predict', { detail: lastError() });

    const proba = new Float32Array(wasm.HEAPF32.buffer, wasm._dd_probabilities(),
                                   MODELS.length * classes);
    const predictions = new Int32Array(wasm.HEAP32.buffer, wasm._dd_predictions(), MODELS.length);
    const steps = new Float64Array(wasm.HEAPF64.buffer, wasm._dd_step_ms(), 1 + MODELS.length);
    const models = MODELS.map((m, i) => {
      if (m.error) return null;
      const p = proba.slice(i * classes, (i + 1) * classes);
      return { id: m.id, proba: p, prediction: predictions[i], confidence: p[predictions[i]] };
    });
    return {
      empty: false,
      image: new Float32Array(wasm.HEAPF32.buffer, wasm._dd_image(), imagePixels).slice(),
      models,
      stepMs: Object.fromEntries([['preprocess', steps[0]], ...MODELS.map((m, i) => [m.id, steps[1 + i]])]),
    };
  }

  return { models: MODELS, predict, explain };
}
