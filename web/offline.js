// Offline use: once the page works, registers the service worker (sw.js), which keeps every file
// of the site on the device. Says how that went in document.body.dataset.offline:
//   'unavailable'  no service worker here: the one-file page, file://, a browser without them
//                  (or one that refuses them, e.g. some private windows)
//   'saving'       downloading and checking the files for the first time
//   'ready'        the page opens and predicts with no network
//   'failed'       it could not be saved (the reason goes to the console); it still works online
// The first time it becomes 'ready', a short note says so, for whoever prepares a tablet.
//
// Updates (see web/sw.js): a new version downloads in the background and waits. A page that
// starts while one is waiting, and has not been drawn on, asks the new worker to take over; if it
// is the site's only open page, the worker does, and the page reloads. So the page and its files
// are always of one version, and no drawing is lost.

// `noteKey`: the catalogue's sentence to show (web/messages/*.js), if any.
function setOffline(state, noteKey) {
  document.body.dataset.offline = state;
  if (!noteKey) return;
  const toast = document.getElementById('offline-note');
  const say = () => { toast.textContent = self.digitDrawerI18n.t(noteKey); };
  say();
  document.addEventListener('digitdrawer:language', say);  // another language while it shows
  toast.hidden = false;
  setTimeout(() => { toast.hidden = true; }, 5000);
}

function installed(worker) {
  return new Promise((resolve, reject) => {
    if (worker.state === 'installed' || worker.state === 'activated') return resolve();
    if (worker.state === 'redundant') return reject(new Error('the browser dropped the service worker'));
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' || worker.state === 'activating' ||
          worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('the new version could not be saved'));
    });
  });
}

// Call once the page is ready. `padEmpty()` says whether reloading would lose no drawing;
// `oneFile`, whether this is the one-file page. Resolves when the state above is known (never
// rejects).
export async function keepForOffline({ padEmpty, oneFile = false }) {
  if (oneFile || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) {
    setOffline('unavailable');
    return;
  }
  const updating = navigator.serviceWorker.controller !== null;
  let registration;
  try {
    registration = await navigator.serviceWorker.register('sw.js');
  } catch (error) {
    console.warn('Digit Drawer cannot be kept for offline use here:', error);
    setOffline('unavailable');
    return;
  }
  // Browsers may clear a site's storage when space runs low, unless it is persistent (granted
  // to installed apps, or by asking).
  navigator.storage?.persist?.().catch(() => {});
  if (registration.waiting && updating && padEmpty()) {
    // An update downloaded on an earlier visit: take it now, before anything is drawn.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(),
                                             { once: true });
    registration.waiting.postMessage('activate-update');
  }
  if (registration.active && updating) {
    setOffline('ready');
    return;
  }
  // The first visit: the worker is installing (or, if installing failed, gone).
  setOffline('saving');
  try {
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    if (!worker) throw new Error('the browser dropped the service worker');
    await installed(worker);
    await navigator.serviceWorker.ready;
    setOffline('ready', 'offline.saved');
  } catch (error) {
    console.warn('Digit Drawer could not be saved for offline use:', error);
    setOffline('failed');
  }
}
