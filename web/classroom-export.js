// "Download our drawings": the class's kept drawings as one zip that ordinary tools open and
// `digits evaluate` reads (README "The class's drawings"), made in the page and handed to the
// browser as a download: nothing is sent anywhere.
//
//   digit-drawer-drawings/
//     images-idx3-ubyte   IDX3: magic 0x00000803, then N, 280, 280 (big-endian u32), then
//                         N x 280 x 280 bytes, row-major, 0 background .. 255 ink
//     labels-idx1-ubyte   IDX1: magic 0x00000801, then N, then N bytes: the digit, 10 = not a digit
//     drawings.json       { format: 'digit-drawer-drawings', version: 1, drawings: [{ index
//                         (0-based, the IDX files' order), label (0-9 or 'none'), time (ISO 8601),
//                         strokes ([[x, y], ...] per stroke in pad units, 0..280, y down),
//                         guesses ({ <model id>: { digit, confidence } }), png }] }
//     png/0001-7.png ...  each drawing as a 280 x 280 PNG, gray ink (255) on black (0), named by
//                         its 1-based number and its label ('none')
// The zip is fflate's (npm, pinned; copied into the site by the build as vendor/fflate.js).
import { strToU8, zipSync } from './vendor/fflate.js';
import { kSide, pixelsOf } from './drawings.js';

export const kFolder = 'digit-drawer-drawings';
export const kFileName = `${kFolder}.zip`;
const kNotADigit = 10;  // its label in the IDX file

// drawings: web/drawings.js's records, oldest first. Resolves with the zip's bytes.
export async function zipDrawings(drawings) {
  const n = drawings.length;
  const images = new Uint8Array(16 + n * kSide * kSide);
  new DataView(images.buffer).setUint32(0, 0x00000803);
  new DataView(images.buffer).setUint32(4, n);
  new DataView(images.buffer).setUint32(8, kSide);
  new DataView(images.buffer).setUint32(12, kSide);
  const labels = new Uint8Array(8 + n);
  new DataView(labels.buffer).setUint32(0, 0x00000801);
  new DataView(labels.buffer).setUint32(4, n);
  const png = {};
  const entries = [];
  for (const [index, drawing] of drawings.entries()) {
    const gray = pixelsOf(drawing);
    images.set(gray, 16 + index * kSide * kSide);
    labels[8 + index] = drawing.label === 'none' ? kNotADigit : drawing.label;
    const name = `${String(index + 1).padStart(4, '0')}-${drawing.label}.png`;
    png[name] = [await pngOf(gray), { level: 0 }];  // already compressed
    entries.push({
      index, label: drawing.label, time: drawing.time,
      strokes: drawing.strokes.map((stroke) => stroke.map(([x, y]) => [round(x * kSide), round(y * kSide)])),
      guesses: drawing.guesses, png: `png/${name}`,
    });
  }
  const json = { format: 'digit-drawer-drawings', version: 1, drawings: entries };
  return zipSync({
    [kFolder]: {
      'images-idx3-ubyte': images,
      'labels-idx1-ubyte': labels,
      'drawings.json': strToU8(`${JSON.stringify(json, null, 1)}\n`),
      png,
    },
  }, { level: 6 });
}

// Pad units to a hundredth of a pixel: what a finger can place, in a file a person can read.
const round = (v) => Math.round(v * 100) / 100;

// 280 x 280 gray bytes -> PNG, encoded by the browser.
async function pngOf(gray) {
  const canvas = self.OffscreenCanvas ? new OffscreenCanvas(kSide, kSide) :
    Object.assign(document.createElement('canvas'), { width: kSide, height: kSide });
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(kSide, kSide);
  for (let i = 0; i < gray.length; ++i) {
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = gray[i];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  const blob = canvas.convertToBlob ? await canvas.convertToBlob({ type: 'image/png' }) :
    await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}

// Zips the drawings and gives the file to the browser to save (a Blob URL and an <a download>).
export async function downloadDrawings(drawings) {
  const bytes = await zipDrawings(drawings);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: kFileName });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);  // once the browser has read it
}
