// The class's drawings and the machines' scores, kept on this device only (IndexedDB), never sent
// anywhere. The one module that knows how they are stored; web/classroom.js shows them.
//
// Database "digit-drawer-classroom", version 1:
//   drawings  one record per labelled drawing, key `id` (1, 2, 3, ... in the order drawn):
//             { id, label: 0-9 or 'none', time: ISO 8601 string,
//               strokes: [[[x, y], ...], ...] in the pad's 0..1 units (web/pad.js's pad.strokes),
//               pixels: Uint8Array, the 280 x 280 pixels the models read, row-major, one byte a
//                       pixel, 0 background .. 255 ink (the canvas's alpha), deflated (fflate's
//                       zlib: a drawing is mostly background, 78,400 bytes become a few thousand),
//               guesses: { <model id>: { digit, confidence }, ... } (the models that could guess) }
//   meta      key 'scores': { models: { <model id>: { right, total } }, nondigit: { total } }.
//             Counted as drawings are labelled, apart from the drawings: resetting the scores
//             keeps the drawings, and dropping the oldest drawings keeps the scores.
// At most kMaxDrawings are kept: the oldest go first (the page says so).
import { unzlibSync, zlibSync } from './vendor/fflate.js';

export const kMaxDrawings = 2000;
export const kSide = 280;  // pixels a side, as the pad's model canvas (web/pad.js kModelSide)
const kDatabase = 'digit-drawer-classroom';

// Why storage failed, for the page to say: 'unavailable' (no IndexedDB, or it was refused: a
// private window, a locked-down tablet) or 'full' (QuotaExceededError).
export class StorageError extends Error {
  constructor(reason, cause) {
    super(`drawings storage ${reason}: ${cause?.message ?? cause ?? ''}`);
    this.reason = reason;
    this.cause = cause;
  }
}

const reasonOf = (error) => (error?.name === 'QuotaExceededError' ? 'full' : 'unavailable');

// Resolves with the request's result, or rejects with a StorageError.
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new StorageError(reasonOf(request.error), request.error));
  });
}

// Resolves when the transaction has committed: only then is a drawing kept.
function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    const fail = () => reject(new StorageError(reasonOf(transaction.error), transaction.error ?? 'aborted'));
    transaction.onerror = fail;
    transaction.onabort = fail;
  });
}

export const emptyScores = () => ({ models: {}, nondigit: { total: 0 } });

// `guesses` fooled a machine: a digit some machine read as another, or anything that is not a
// digit (a machine always answers with a digit).
export function isTrick({ label, guesses }) {
  return label === 'none' || Object.values(guesses).some((g) => g.digit !== label);
}

// 280 x 280 RGBA (pad.pixels().data) -> 280 x 280 gray, 0 background, 255 ink: the alpha channel.
export function grayFromRgba(rgba) {
  const gray = new Uint8Array(kSide * kSide);
  for (let i = 0; i < gray.length; ++i) gray[i] = rgba[4 * i + 3];
  return gray;
}

export const pixelsOf = (drawing) => unzlibSync(drawing.pixels);

export class Drawings {
  // Opens the database; rejects with a StorageError when the browser refuses it.
  static async open() {
    if (!self.indexedDB) throw new StorageError('unavailable', 'no IndexedDB');
    let request;
    try {
      request = indexedDB.open(kDatabase, 1);
    } catch (error) {
      throw new StorageError('unavailable', error);
    }
    request.onupgradeneeded = () => {
      request.result.createObjectStore('drawings', { keyPath: 'id', autoIncrement: true });
      request.result.createObjectStore('meta');
    };
    return new Drawings(await done(request));
  }

  constructor(db) {
    this.db = db;
  }

  async scores() {
    const transaction = this.db.transaction('meta');
    return (await done(transaction.objectStore('meta').get('scores'))) ?? emptyScores();
  }

  // Keeps one drawing ({ label, strokes, gray (280 x 280 bytes), guesses }) and counts it in the
  // scores, in one transaction: both, or neither. Drops the oldest drawings beyond kMaxDrawings.
  // Resolves with { drawing (as stored), scores, dropped (how many old drawings went) }.
  async add({ label, strokes, gray, guesses, time = new Date() }) {
    const drawing = { label, time: time.toISOString(), strokes, pixels: zlibSync(gray, { level: 6 }),
                      guesses };
    const transaction = this.db.transaction(['drawings', 'meta'], 'readwrite');
    const finished = committed(transaction);
    finished.catch(() => {});  // reported below, once
    const store = transaction.objectStore('drawings');
    const meta = transaction.objectStore('meta');
    let scores, dropped = 0;
    try {
      scores = (await done(meta.get('scores'))) ?? emptyScores();
      countIn(scores, drawing);
      meta.put(scores, 'scores');
      drawing.id = await done(store.put(drawing));
      const count = await done(store.count());
      if (count > kMaxDrawings) {
        const keys = await done(store.getAllKeys(null, count - kMaxDrawings));  // the oldest
        dropped = keys.length;
        store.delete(IDBKeyRange.upperBound(keys[keys.length - 1]));
      }
    } catch (error) {
      try { transaction.abort(); } catch { /* already over */ }
      await finished.catch(() => {});
      throw error instanceof StorageError ? error : new StorageError(reasonOf(error), error);
    }
    await finished;
    return { drawing, scores, dropped };
  }

  // Every kept drawing, oldest first.
  async all() {
    return done(this.db.transaction('drawings').objectStore('drawings').getAll());
  }

  async resetScores() {
    const transaction = this.db.transaction('meta', 'readwrite');
    transaction.objectStore('meta').put(emptyScores(), 'scores');
    await committed(transaction);
  }

  // Forgets everything: every drawing and the scores.
  async forget() {
    const transaction = this.db.transaction(['drawings', 'meta'], 'readwrite');
    transaction.objectStore('drawings').clear();
    transaction.objectStore('meta').clear();
    await committed(transaction);
  }
}

function countIn(scores, { label, guesses }) {
  if (label === 'none') {
    scores.nondigit.total += 1;
    return;
  }
  for (const [id, guess] of Object.entries(guesses)) {
    const score = scores.models[id] ??= { right: 0, total: 0 };
    score.total += 1;
    if (guess.digit === label) score.right += 1;
  }
}
