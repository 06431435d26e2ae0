// The drawing surface: pointer input (mouse, touch, pen) on <canvas id="pad">, strokes kept as
// lists of points so that Undo and a resize can redraw them, and the RGBA pixels for the models.
// It knows nothing of the models: it reports changes and hands out pixels.
//
// Strokes are stored in canvas-independent units (0..1 of the side, y down), drawn with a round
// brush whose width is a fixed share of the side, so a digit looks the same at every size and
// pixel density, and the models see strokes as thick, relative to the digit, as MNIST's.
//
// Two renderings of the same strokes, by the same drawStrokes(): the pad itself, at the screen's
// pixel density so it stays crisp, and a 280 x 280 canvas that the models read (the size of the
// original app's canvas and of the drawn-digit set the models' figures are measured on). Reading
// back the high-density pad instead (up to 1024 x 1024 x 4 bytes per frame) took 13 ms a frame
// here, and ten times that on a slow tablet. Nothing is cropped, scaled or centred in JS: the
// C++ core does all of that on the 280 x 280 pixels.
export const kBrushShare = 0.075;  // brush width / canvas side (the drawn-digit set uses 7-11 %)
export const kModelSide = 280;     // pixels a side of the rendering the models read
const kMaxBackingSide = 2048;      // device pixels a side of the pad (memory only: never read)
const kInk = '#14142b';

export class Pad {
  // onChange(final): called at most once per animation frame while a stroke is drawn
  // (final = false), and once when a stroke ends, on Undo and on Clear (final = true).
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.ctx = canvas.getContext('2d');
    const modelCanvas = document.createElement('canvas');
    modelCanvas.width = modelCanvas.height = kModelSide;
    this.modelCtx = modelCanvas.getContext('2d', { willReadFrequently: true });
    this.strokes = [];        // [[x, y], ...] per stroke, in 0..1 units
    this.active = null;       // { pointerId, points } while a finger, pen or mouse is down
    this.frameRequested = false;

    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#cancel(e));
    canvas.addEventListener('lostpointercapture', (e) => this.#up(e));
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    new ResizeObserver(() => this.#resize()).observe(canvas);
    this.#watchPixelRatio();
    this.#resize();
  }

  clear() {
    this.strokes = [];
    this.active = null;
    this.#redraw();
    this.onChange(true);
  }

  undo() {
    if (this.active) return;  // never pull a stroke out from under a finger
    this.strokes.pop();
    this.#redraw();
    this.onChange(true);
  }

  // The pixels the models read: the 280 x 280 rendering of the strokes, RGBA, as getImageData
  // gives them (dark ink on transparent).
  pixels() {
    drawStrokes(this.modelCtx, kModelSide, this.strokes);
    return { data: this.modelCtx.getImageData(0, 0, kModelSide, kModelSide).data,
             width: kModelSide, height: kModelSide };
  }

  #resize() {
    // The drawing area inside the border: clientWidth, not the bounding box.
    const side = Math.round(Math.min(this.canvas.clientWidth * devicePixelRatio, kMaxBackingSide));
    if (side < 1 || (side === this.canvas.width && side === this.canvas.height)) return;
    this.canvas.width = this.canvas.height = side;  // also clears the canvas
    this.#redraw();
  }

  // Moving the window to a screen of another pixel density changes no CSS size, so the
  // ResizeObserver stays silent: listen for the density itself.
  #watchPixelRatio() {
    matchMedia(`(resolution: ${devicePixelRatio}dppx)`).addEventListener('change', () => {
      this.#resize();
      this.#watchPixelRatio();
    }, { once: true });
  }

  #point(e) {
    const rect = this.canvas.getBoundingClientRect();
    const { clientLeft, clientTop, clientWidth, clientHeight } = this.canvas;
    return [(e.clientX - rect.left - clientLeft) / clientWidth,
            (e.clientY - rect.top - clientTop) / clientHeight];
  }

  #down(e) {
    // Only the primary contact: the mouse's left button, a finger, a pen's tip (not its barrel
    // button or eraser), and one pointer at a time.
    if (this.active || e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.active = { pointerId: e.pointerId, points: [this.#point(e)] };
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
    this.active = null;
    this.#redraw();
    this.onChange(true);
  }

  // The browser took the pointer back (a system gesture, palm rejection): that stroke was not
  // meant, so it goes.
  #cancel(e) {
    if (!this.active || e.pointerId !== this.active.pointerId) return;
    this.strokes.pop();
    this.#up(e);
  }

  // Draws and reports at most once per frame, however many pointer events arrive.
  #requestFrame() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.active) return;  // the stroke ended before this frame and was reported then
      this.#redraw();
      this.onChange(false);
    });
  }

  #redraw() {
    drawStrokes(this.ctx, this.canvas.width, this.strokes);
  }
}

// Draws strokes (lists of [x, y] in 0..1 units) on a square canvas of `side` pixels, replacing
// what was there: the round brush, and quadratic curves through the midpoints between samples
// (smooth, and still passing through the first and last points); a single point is a dot.
// Exported for the benchmark, which draws test digits exactly as the pad does.
export function drawStrokes(ctx, side, strokes) {
  ctx.clearRect(0, 0, side, side);
  ctx.lineCap = ctx.lineJoin = 'round';
  ctx.lineWidth = kBrushShare * side;
  ctx.strokeStyle = ctx.fillStyle = kInk;
  for (const stroke of strokes) {
    const p = stroke.map(([x, y]) => [x * side, y * side]);
    ctx.beginPath();
    if (p.length === 1) {
      ctx.arc(p[0][0], p[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.moveTo(p[0][0], p[0][1]);
    for (let i = 1; i < p.length - 1; ++i) {
      ctx.quadraticCurveTo(p[i][0], p[i][1], (p[i][0] + p[i + 1][0]) / 2,
                           (p[i][1] + p[i + 1][1]) / 2);
    }
    ctx.lineTo(p[p.length - 1][0], p[p.length - 1][1]);
    ctx.stroke();
  }
}
