// The drawing surface: pointer input (mouse, touch, pen) on <canvas id="pad">, strokes kept as
// lists of points so that Undo and a resize can redraw them, and the RGBA pixels for the models.
// It knows nothing of the models: it reports changes and hands out pixels.
//
// Strokes are stored in canvas-independent units (0..1 of the side, y down), drawn with a round
// brush whose width is a fixed share of the side, so a digit looks the same at every size and
// pixel density, and the models see strokes as thick, relative to the digit, as MNIST's.
//
// Two renderings of the same strokes, by the same drawing code: the pad itself, at the screen's
// pixel density so it stays crisp (or at one pixel per CSS pixel on a slow tablet: see
// kSlowFrameMs), and a 280 x 280 canvas that the models read (the size of the
// original app's canvas and of the drawn-digit set the models' figures are measured on). Reading
// back the high-density pad instead (up to 1024 x 1024 x 4 bytes per frame) took 13 ms a frame
// here, and ten times that on a slow tablet. Nothing is cropped, scaled or centred in JS: the
// C++ core does all of that on the 280 x 280 pixels.
//
// Each frame draws only what is new, so that a slow tablet keeps up with a finger:
// - the pad gets the stroke's newest pieces only (round ends, so they join seamlessly); just
//   after a stroke's answer, and on Undo, Clear and a resize, the pad is redrawn whole by
//   drawStrokes(), so what stays on screen is exactly that;
// - the 280 x 280 pixels are exactly drawStrokes()'s, byte for byte (tests/web/pad.test.mjs):
//   drawStrokes() draws each stroke as one path over the strokes before it, so the finished
//   strokes are kept drawn on a canvas of their own (a stroke is added to it once, when it ends)
//   and pixels() copies that and draws the stroke under the finger, whole, on top. (Drawing only
//   the newest piece there would not do: where two separately drawn pieces overlap, their
//   antialiased edges add up, and the pixels would differ from one path's.)
export const kBrushShare = 0.075;  // brush width / canvas side (the drawn-digit set uses 7-11 %)
export const kModelSide = 280;     // pixels a side of the rendering the models read
const kMaxBackingSide = 2048;      // device pixels a side of the pad (memory only: never read)
// A slow tablet: when this many frames of one stroke take longer than kSlowFrameMs, the pad is
// drawn at one pixel per CSS pixel from the end of that stroke on, instead of the screen's
// density. Each frame's ink is copied to the screen whole (the browser's canvas resource): at a
// 2x tablet's density that is four times the pixels, and it took most of a throttled frame. The
// ink's edges are a little softer; the pixels the models read (280 x 280) do not change.
const kSlowFrameMs = 25;
const kSlowFramesToDrop = 4;
const kInk = '#14142b';

export class Pad {
  // onChange(final, frameMs, strokeEnded): called at most once per animation frame while a
  // stroke is drawn (final = false; frameMs: how long that frame took, from its start to the end
  // of its rendering), and once when a stroke ends (final = true, strokeEnded = true: in the task
  // after the pointerup, see #up), on Undo, on Clear and when a drawing is loaded (final = true).
  // `slowFrameMs`: what counts as a slow frame (the tests set it to Infinity, or to 0).
  constructor(canvas, onChange, { slowFrameMs = kSlowFrameMs } = {}) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.slowFrameMs = slowFrameMs;
    this.ctx = canvas.getContext('2d');
    // Both 280 x 280 canvases are read back, so both live in memory (willReadFrequently), where
    // copying one onto the other is exact.
    this.modelCtx = modelContext();  // what pixels() reads: finished strokes + the active one
    this.doneCtx = modelContext();   // the finished strokes, as drawStrokes() draws them
    this.strokes = [];        // [[x, y], ...] per stroke, in 0..1 units
    // While a finger, pen or mouse is down: { pointerId, points (the last of this.strokes),
    // drawn (how many of its points the pad shows) }.
    this.active = null;
    this.frameRequested = false;
    this.redrawPending = false;  // the whole pad is to be drawn again after a stroke
    this.areaCache = null;       // see #area()
    this.density = devicePixelRatio;  // device pixels per CSS pixel of the pad's drawing
    this.slow = false;           // frames ran long: the density stays 1
    this.slowFrames = 0;         // frames of this stroke over kSlowFrameMs

    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#cancel(e));
    canvas.addEventListener('lostpointercapture', (e) => this.#up(e));
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    new ResizeObserver(() => this.#resize()).observe(canvas);
    for (const type of ['scroll', 'resize']) {
      addEventListener(type, () => { this.areaCache = null; }, { capture: true, passive: true });
    }
    this.#watchPixelRatio();
    this.#resize();
  }

  clear() {
    this.strokes = [];
    this.active = null;
    this.#redraw();
    this.#redrawDone();
    this.onChange(true);
  }

  undo() {
    if (this.active) return;  // never pull a stroke out from under a finger
    this.strokes.pop();
    this.#redraw();
    this.#redrawDone();
    this.onChange(true);
  }

  // Replaces the drawing with `strokes` ([[x, y], ...] per stroke, 0..1 units, as this.strokes),
  // drawn whole (a drawing put back from the class's hall of tricks, web/classroom.js). Not
  // under a finger.
  load(strokes) {
    if (this.active) return;
    this.strokes = strokes.map((stroke) => stroke.map(([x, y]) => [x, y]));
    this.#redraw();
    this.#redrawDone();
    this.onChange(true);
  }

  // The pixels the models read: the 280 x 280 rendering of the strokes, RGBA, as getImageData
  // gives them (dark ink on transparent); exactly drawStrokes(ctx, 280, this.strokes)'s.
  pixels() {
    let ctx = this.doneCtx;
    if (this.active) {
      // drawStrokes() would draw the same finished strokes first, then this one over them.
      ctx = this.modelCtx;
      ctx.globalCompositeOperation = 'copy';
      ctx.drawImage(this.doneCtx.canvas, 0, 0);
      ctx.globalCompositeOperation = 'source-over';
      setBrush(ctx, kModelSide);
      drawStroke(ctx, kModelSide, this.active.points);
    }
    return { data: ctx.getImageData(0, 0, kModelSide, kModelSide).data,
             width: kModelSide, height: kModelSide };
  }

  #resize() {
    this.areaCache = null;
    // The drawing area inside the border: clientWidth, not the bounding box.
    const side = Math.round(Math.min(this.canvas.clientWidth * this.density, kMaxBackingSide));
    if (side < 1 || (side === this.canvas.width && side === this.canvas.height)) return;
    this.canvas.width = this.canvas.height = side;  // also clears the canvas
    this.#redraw();
  }

  // Moving the window to a screen of another pixel density changes no CSS size, so the
  // ResizeObserver stays silent: listen for the density itself.
  #watchPixelRatio() {
    matchMedia(`(resolution: ${devicePixelRatio}dppx)`).addEventListener('change', () => {
      this.density = this.slow ? 1 : devicePixelRatio;
      this.#resize();
      this.#watchPixelRatio();
    }, { once: true });
  }

  // Where the drawing area is on screen, measured when a stroke starts: measuring it for every
  // move would make the browser lay out the page again in each frame (the panels change under a
  // moving finger). The pad does not move while a finger is on it; a scroll or a resize (a mouse
  // wheel, a rotation, a larger window) measures again.
  #area() {
    if (!this.areaCache) {
      const rect = this.canvas.getBoundingClientRect();
      const { clientLeft, clientTop, clientWidth, clientHeight } = this.canvas;
      this.areaCache = { left: rect.left + clientLeft, top: rect.top + clientTop,
                         width: clientWidth, height: clientHeight };
    }
    return this.areaCache;
  }

  #point(e) {
    const { left, top, width, height } = this.#area();
    return [(e.clientX - left) / width, (e.clientY - top) / height];
  }

  #down(e) {
    // Only the primary contact: the mouse's left button, a finger, a pen's tip (not its barrel
    // button or eraser), and one pointer at a time.
    if (this.active || e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.areaCache = null;
    this.active = { pointerId: e.pointerId, points: [this.#point(e)], drawn: 0 };
    this.slowFrames = 0;
    this.strokes.push(this.active.points);
    this.#requestFrame();
  }

  #move(e) {
    if (!this.active || e.pointerId !== this.active.pointerId) return;
    e.preventDefault();
    // Coalesced events keep fast strokes smooth: the browser may merge several moves into one.
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const c of events.length ? events : [e]) this.active.points.push(this.#point(c));
    this.#requestFrame();
  }

  #up(e) {
    if (!this.active || e.pointerId !== this.active.pointerId) return;
    const { points, drawn } = this.active;
    this.active = null;
    drawPieces(this.ctx, this.canvas.width, points, drawn);  // what came since the last frame
    // The stroke joins the finished ones, as drawStrokes() would draw it: over those before it.
    setBrush(this.doneCtx, kModelSide);
    drawStroke(this.doneCtx, kModelSide, points);
    // The answer in a task of its own: the browser may run this handler inside a frame, after
    // the moves before it, and that frame would then also lay out and paint every panel's new
    // answer (on a slow tablet, one task of 70-90 ms). Not if the drawing changed by then (a new
    // stroke, Undo, Clear, a loaded drawing: this stroke is then no longer the last one), which
    // gives its own answer.
    setTimeout(() => { if (this.strokes.at(-1) === points) this.onChange(true, 0, true); });
    // Then, in a task of its own (the answer first), the pad is drawn again whole: what stays on
    // screen is exactly drawStrokes()'s, as after an Undo.
    if (!this.redrawPending) {
      this.redrawPending = true;
      setTimeout(() => {
        this.redrawPending = false;
        if (this.slowFrames >= kSlowFramesToDrop && this.density > 1) {
          this.slow = true;
          this.density = 1;
          this.#resize();  // draws the pad again whole at its new size
        } else {
          this.#redraw();
        }
      });
    }
  }

  // The browser took the pointer back (a system gesture, palm rejection): that stroke was not
  // meant, so it goes (it never reached the finished strokes).
  #cancel(e) {
    if (!this.active || e.pointerId !== this.active.pointerId) return;
    this.strokes.pop();
    this.active = null;
    this.#redraw();
    this.onChange(true);
  }

  // Draws the new pieces at most once per frame, however many pointer events arrive, and
  // reports them after the frame, in a task of its own: the ink is on screen without waiting
  // for a live prediction, and a slow one does not make the frame late.
  #requestFrame() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((frameStart) => {
      this.frameRequested = false;
      const active = this.active;
      if (!active) return;  // the stroke ended before this frame and was reported then
      drawPieces(this.ctx, this.canvas.width, active.points, active.drawn);
      active.drawn = active.points.length;
      setTimeout(() => {
        // Not once the stroke has ended: that was reported then.
        if (this.active !== active) return;
        const frameMs = performance.now() - frameStart;
        if (frameMs > this.slowFrameMs) ++this.slowFrames;
        this.onChange(false, frameMs);
      });
    });
  }

  // The whole pad: after Undo, Clear, a resize and at the end of a stroke. A stroke still being
  // drawn (a resize under a finger) is drawn whole too, and continues piece by piece.
  #redraw() {
    drawStrokes(this.ctx, this.canvas.width, this.strokes);
    if (this.active) this.active.drawn = this.active.points.length;
  }

  // The finished strokes at 280 x 280, after Undo and Clear (the active one is never among them).
  #redrawDone() {
    drawStrokes(this.doneCtx, kModelSide, this.active ? this.strokes.slice(0, -1) : this.strokes);
  }
}

function modelContext() {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = kModelSide;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingEnabled = false;  // copies pixel for pixel (none is scaled anyway)
  return ctx;
}

// The round brush for a square canvas of `side` pixels.
function setBrush(ctx, side) {
  ctx.lineCap = ctx.lineJoin = 'round';
  ctx.lineWidth = kBrushShare * side;
  ctx.strokeStyle = ctx.fillStyle = kInk;
}

// Draws strokes (lists of [x, y] in 0..1 units) on a square canvas of `side` pixels, replacing
// what was there: the round brush, and quadratic curves through the midpoints between samples
// (smooth, and still passing through the first and last points); a single point is a dot.
// Exported for the benchmark, which draws test digits exactly as the pad does.
export function drawStrokes(ctx, side, strokes) {
  ctx.clearRect(0, 0, side, side);
  setBrush(ctx, side);
  for (const stroke of strokes) drawStroke(ctx, side, stroke);
}

// One stroke, as one path, over what is there (the brush set).
function drawStroke(ctx, side, stroke) {
  const p = stroke.map(([x, y]) => [x * side, y * side]);
  ctx.beginPath();
  if (p.length === 1) {
    ctx.arc(p[0][0], p[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
    return;
  }
  ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 1; i < p.length - 1; ++i) {
    ctx.quadraticCurveTo(p[i][0], p[i][1], (p[i][0] + p[i + 1][0]) / 2,
                         (p[i][1] + p[i + 1][1]) / 2);
  }
  ctx.lineTo(p[p.length - 1][0], p[p.length - 1][1]);
  ctx.stroke();
}

// What a stroke's points from `drawn` on add to the pad: the same curve as drawStroke()'s, from
// where the pieces already drawn end. drawStroke() ends with a straight line from the midpoint
// of the last two points to the last one; that line, drawn on an earlier frame, is now the
// start of a curve (the difference is hidden inside the brush's width until the stroke ends and
// the pad is drawn whole). Only the new pieces: bounded work per frame, however long the stroke.
function drawPieces(ctx, side, stroke, drawn) {
  const n = stroke.length;
  if (drawn >= n) return;
  setBrush(ctx, side);
  const p = (i) => [stroke[i][0] * side, stroke[i][1] * side];
  const mid = (i) => [(stroke[i][0] + stroke[i + 1][0]) * side / 2,
                      (stroke[i][1] + stroke[i + 1][1]) * side / 2];
  ctx.beginPath();
  if (n === 1) {
    const [x, y] = p(0);
    ctx.arc(x, y, ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
    return;
  }
  // drawStroke()'s path: from point 0, a curve through each point i = 1 .. n-2 (control point
  // i, ending at the midpoint of i and i + 1), then the line to point n - 1. With `drawn` points
  // shown, the curves up to point drawn - 2 are on the pad, and the line that ended there.
  const first = Math.max(1, drawn - 1);
  ctx.moveTo(...(first === 1 ? p(0) : mid(first - 1)));
  for (let i = first; i < n - 1; ++i) ctx.quadraticCurveTo(...p(i), ...mid(i));
  ctx.lineTo(...p(n - 1));
  ctx.stroke();
}
