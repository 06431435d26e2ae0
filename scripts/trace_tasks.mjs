// Where a page's long tasks spend their time, from a Chromium performance trace (the events the
// DevTools Performance panel records): bench_web.mjs --trace records one while digits are drawn
// and prints, for the tasks over 50 ms on the page's main thread, their time by kind of work
// (script, style, layout, paint...), each event's own time (its children's taken out), and the
// page's script functions that ran in them.
//
//   const stop = await startTaskTrace(browser, page);  ... draw ...  const tasks = longTasks(await stop());

// What the trace records: the main thread's tasks and what runs in them (no screenshots, no JS
// sampling: few enough events that a throttled page is not slowed by recording them).
const kCategories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8',
                     'blink.user_timing'];

// The trace's event names, by the kind of work they are (as the Performance panel groups them);
// a name not listed is "other".
const kKinds = {
  script: ['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'EventDispatch',
           'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'v8.execute', 'RunMicrotasks',
           'V8.Execute', 'v8.callFunction', 'v8.run', 'XHRReadyStateChange', 'HitTest'],
  gc: ['MinorGC', 'MajorGC', 'V8.GCScavenger', 'V8.GCCompactor', 'V8.GC_MC_BACKGROUND_MARKING',
       'BlinkGC.AtomicPhase', 'ThreadState::performIdleLazySweep', 'V8.GCIncrementalMarking',
       'V8.GCFinalizeMC', 'V8.GCFinalizeMCReduceMemory', 'BlinkGC.CompleteSweep', 'GCEvent'],
  style: ['UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation', 'ParseAuthorStyleSheet',
          'InvalidateLayout'],
  layout: ['Layout', 'UpdateLayerTree', 'IntersectionObserverController::computeIntersections'],
  paint: ['PrePaint', 'Paint', 'PaintImage', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'Commit',
          'RasterTask', 'Decode Image', 'Draw LazyPixelRef', 'PaintSetup'],
  canvas: ['Canvas2DLayerBridge::flush', 'CanvasResourceProvider::FlushCanvas', 'GetImageData'],
};
const kKindOf = new Map(Object.entries(kKinds).flatMap(([kind, names]) => names.map((n) => [n, kind])));
const kTopLevel = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadControllerImpl::DoWork']);

export async function startTaskTrace(browser, page) {
  await browser.startTracing(page, { categories: kCategories, screenshots: false });
  return async () => JSON.parse((await browser.stopTracing()).toString('utf8'));
}

// trace: the parsed trace (an object with traceEvents, or an array of events). Returns the tasks
// of at least minMs on the renderers' main threads (CrRendererMain), in order: { startUs,
// durationMs, byKind: {kind: ms}, byName: {event: ms} (own times), scripts: {"function url:line": ms} }.
export function longTasks(trace, minMs = 50) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mainThreads = new Set(events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  // Each main thread's complete events (X, and B/E pairs made into X), by start then longest first.
  const byThread = new Map();
  const open = new Map();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (!mainThreads.has(thread)) continue;
    let event = null;
    if (e.ph === 'X' && typeof e.dur === 'number') {
      event = { name: e.name, ts: e.ts, dur: e.dur, args: e.args };
    } else if (e.ph === 'B') {
      if (!open.has(thread)) open.set(thread, []);
      open.get(thread).push(e);
    } else if (e.ph === 'E') {
      const begin = open.get(thread)?.pop();
      if (begin) event = { name: begin.name, ts: begin.ts, dur: e.ts - begin.ts, args: begin.args };
    }
    if (!event) continue;
    if (!byThread.has(thread)) byThread.set(thread, []);
    byThread.get(thread).push(event);
  }
  const tasks = [];
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    for (let i = 0; i < list.length; ++i) {
      const top = list[i];
      if (!kTopLevel.has(top.name) || top.dur < minMs * 1000) continue;
      const end = top.ts + top.dur;
      // The events inside it, each one's own time: its time less its children's.
      const inner = [];
      const scripts = new Map();
      const stack = [];
      let j = i + 1;
      for (; j < list.length && list[j].ts < end; ++j) {
        const e = list[j];
        if (kTopLevel.has(e.name)) continue;
        while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
        const parent = stack.at(-1);
        if (parent) parent.own -= e.dur;
        const item = { ...e, own: e.dur };
        stack.push(item);
        inner.push(item);
      }
      i = j - 1;
      const byName = {};
      const byKind = {};
      let inside = 0;
      for (const item of inner) {
        const ms = item.own / 1000;
        inside += item.own;
        byName[item.name] = (byName[item.name] ?? 0) + ms;
        const kind = kKindOf.get(item.name) ?? 'other';
        byKind[kind] = (byKind[kind] ?? 0) + ms;
        if (item.name === 'FunctionCall' && item.args?.data) {
          const { functionName, url, lineNumber } = item.args.data;
          const key = `${functionName || '(anonymous)'} ${(url ?? '').split('/').pop()}:${lineNumber ?? '?'}`;
          // The call's whole time (with what it caused: style, layout), as a profile's "total".
          scripts.set(key, (scripts.get(key) ?? 0) + item.dur / 1000);
        }
      }
      // The task's own time outside any recorded event: the scheduler, and the throttling's pauses.
      byKind.unrecorded = (top.dur - inside) / 1000;
      tasks.push({ startUs: top.ts, durationMs: top.dur / 1000, byKind, byName,
                   scripts: Object.fromEntries(scripts) });
    }
  }
  return tasks.sort((a, b) => a.startUs - b.startUs);
}

// Sums tasks' breakdowns: { count, totalMs, byKind, byName, scripts }, each map's values in ms;
// durationsMs, every task's length, longest first; and longest, the `keep` longest tasks whole.
export function sumTasks(tasks, keep = 3) {
  const add = (into, from) => { for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v; };
  const byLength = [...tasks].sort((a, b) => b.durationMs - a.durationMs);
  const sum = { count: tasks.length, totalMs: 0, byKind: {}, byName: {}, scripts: {},
                durationsMs: byLength.map((t) => t.durationMs), longest: byLength.slice(0, keep) };
  for (const t of tasks) {
    sum.totalMs += t.durationMs;
    add(sum.byKind, t.byKind);
    add(sum.byName, t.byName);
    add(sum.scripts, t.scripts);
  }
  return sum;
}
