// Booth mode: the page left running at an open-house booth, for a crowd and for one child after
// another. Display and timing only:
//   - the headline and the guesses large (web/style.css, "Booth mode"), from a step away;
//   - the pad clears itself kIdleClearMs after the last touch, click or key, through the page's
//     own Clear (the panels, the label row and the announcements follow as after a tap on Clear:
//     a drawing waiting for its label is skipped, never kept). Never under a finger;
//   - kAttractMs after the last input, an attract screen invites the next child. Any touch, click
//     or key sends it away; a touch on the pad is the first stroke of the next drawing.
// Nothing is created per drawing or per cycle (one overlay, one timer): memory stays flat over an
// afternoon (tests/web/booth.test.mjs).
//
// On with `?booth` in the address, or by the teacher's switch in "Our class" (kept on this
// device). Contract (README "Browser-test contract"): document.body.dataset.booth is "on" or
// "off"; the attract screen is [data-attract]; the switch is [data-action="booth"].
import { element } from './classroom.js';

const i18n = self.digitDrawerI18n;

export const kIdleClearMs = 20_000;  // long enough to look at the guesses, short for a queue
export const kAttractMs = 60_000;    // a minute with nobody drawing
const kStorageKey = 'digit-drawer-booth';
// A tap that sends the attract screen away, off the pad, does nothing else: its click (which
// follows the pointerdown, on a touch screen after up to a few hundred ms) is swallowed too.
const kSwallowClickMs = 1000;

function savedChoice() {
  try {
    return localStorage.getItem(kStorageKey);
  } catch {
    return null;  // storage refused (a private window)
  }
}

export class Booth {
  // pad: web/pad.js's Pad (its strokes, whether a finger is on it, and its Clear);
  // addTeacherControl(element): puts the switch among the teacher's controls ("Our class");
  // onAttract(): the attract screen came up (the last child has gone: their challenge ends).
  constructor({ pad, addTeacherControl, onAttract = () => {} }) {
    this.pad = pad;
    this.onAttract = onAttract;
    this.lastInput = performance.now();
    this.timer = 0;
    this.isOn = false;           // booth mode (body[data-booth="on"])
    this.due = 0;                // when the timer fires
    this.swallowClickUntil = 0;
    this.focusBefore = null;
    this.#buildAttract();
    this.#buildSwitch(addTeacherControl);
    this.#listen();
    const fromAddress = new URLSearchParams(location.search).has('booth');
    this.#set(fromAddress || savedChoice() === 'on');
    document.addEventListener('digitdrawer:language', () => this.#render());
    this.#render();
  }

  get attractShown() {
    return !this.attract.hidden;
  }

  // Only the look and the timers change: the drawing, the scores and the kept drawings stay.
  #set(on) {
    this.isOn = on;
    document.body.dataset.booth = on ? 'on' : 'off';
    document.documentElement.dataset.booth = on ? 'on' : 'off';  // the layout's sizes live on :root
    this.switch.checked = on;
    if (!on) this.#hideAttract();
    this.lastInput = performance.now();
    this.#schedule();  // the timers start again, or stop
  }

  // ---- Timing ----
  // Someone is here: the idle time starts again. One timer at a time; when it fires, it looks
  // at how long it has really been (#tick), so a stream of moves costs no timer each, and
  // nothing at all while booth mode is off.
  #input() {
    if (!this.isOn) return;
    this.lastInput = performance.now();
    if (!this.timer || this.due > this.lastInput + kIdleClearMs) this.#schedule();
  }

  // The next look: when the idle clear is due, then when the attract screen is. A timer set
  // before the last input fires early and looks again.
  #schedule() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (!this.isOn || this.attractShown) return;
    const now = performance.now();
    const idle = now - this.lastInput;
    const wait = Math.max(0, (idle < kIdleClearMs ? kIdleClearMs : kAttractMs) - idle);
    this.due = now + wait;
    this.timer = setTimeout(() => this.#tick(), wait);
  }

  #tick() {
    this.timer = 0;
    const now = performance.now();
    // A finger resting on the pad, a teacher in "Our class", a page still loading or broken:
    // nobody is to be interrupted, and there is nothing to clear. (A challenge's results left
    // open are not a teacher: the next child gets the attract screen.)
    if (this.pad.active || document.querySelector('dialog[open]:not([data-challenge-results])') ||
        document.body.dataset.state !== 'ready') {
      this.lastInput = now;
    } else if (this.pad.strokes.length) {
      if (now - this.lastInput >= kIdleClearMs) this.pad.clear();
    } else if (now - this.lastInput >= kAttractMs) {
      this.#showAttract();
    }
    this.#schedule();
  }

  #listen() {
    // Capture: the page's own handlers (the pad's, the buttons') come after.
    addEventListener('pointerdown', (e) => this.#pointerDown(e), { capture: true });
    addEventListener('pointermove', () => this.#input(), { capture: true, passive: true });
    addEventListener('pointerup', () => this.#input(), { capture: true, passive: true });
    addEventListener('wheel', () => this.#input(), { capture: true, passive: true });
    addEventListener('keydown', (e) => this.#keyDown(e), { capture: true });
    addEventListener('click', (e) => {
      if (performance.now() >= this.swallowClickUntil) return;
      this.swallowClickUntil = 0;
      e.preventDefault();
      e.stopPropagation();
    }, { capture: true });
  }

  #pointerDown(e) {
    if (this.attractShown) {
      this.#hideAttract();
      // On the pad, the touch is the next child's first stroke: the pad takes it as it is.
      // Anywhere else it only sends the screen away (no button is pressed by surprise).
      if (!e.target.closest?.('#pad')) {
        e.preventDefault();
        e.stopPropagation();
        this.swallowClickUntil = performance.now() + kSwallowClickMs;
      }
    }
    this.#input();
  }

  #keyDown(e) {
    if (this.attractShown) {
      this.#hideAttract();
      e.preventDefault();
      e.stopPropagation();
    }
    this.#input();
  }

  // ---- The attract screen ----
  // Over the whole page; it lets every touch through to what is under it (the pad above all),
  // and #pointerDown decides what the touch does. A dialog for screen readers, with the focus.
  #buildAttract() {
    this.attractTitle = element('h2', { id: 'attract-title' });
    this.attractLine = element('p', { id: 'attract-line', class: 'attract-line' });
    this.attractStart = element('p', { class: 'attract-start' });
    const digits = element('p', { class: 'attract-digits', 'aria-hidden': 'true' },
                           ['3', '8', '7'].map((d) => element('span', {}, [d])));
    this.attract = element('div', {
      class: 'attract', 'data-attract': '', role: 'dialog', 'aria-modal': 'true',
      'aria-labelledby': 'attract-title', 'aria-describedby': 'attract-line', tabindex: '-1', hidden: '',
    }, [element('div', { class: 'attract-card' },
                [digits, this.attractTitle, this.attractLine, this.attractStart])]);
    document.body.append(this.attract);
  }

  #showAttract() {
    if (this.attractShown) return;
    const focused = document.activeElement;
    this.focusBefore = focused && focused !== document.body ? focused : null;
    document.querySelector('dialog[data-challenge-results][open]')?.close();
    this.attract.hidden = false;
    this.attract.focus({ preventScroll: true });
    this.onAttract();
  }

  #hideAttract() {
    if (!this.attractShown) return;
    this.attract.hidden = true;
    if (this.focusBefore?.isConnected) this.focusBefore.focus({ preventScroll: true });
    else if (document.activeElement === this.attract) this.attract.blur();
    this.focusBefore = null;
  }

  // ---- The teacher's switch ----
  #buildSwitch(addTeacherControl) {
    this.switch = element('input', { type: 'checkbox', role: 'switch', 'data-action': 'booth',
                                     'aria-describedby': 'booth-about' });
    this.switchText = element('span', { class: 'booth-switch-text' });
    this.switchAbout = element('p', { id: 'booth-about', class: 'booth-about' });
    const label = element('label', { class: 'booth-switch' }, [this.switch, this.switchText]);
    this.switch.addEventListener('change', () => {
      try {
        localStorage.setItem(kStorageKey, this.switch.checked ? 'on' : 'off');
      } catch { /* not kept: on for this visit only */ }
      this.#set(this.switch.checked);
    });
    addTeacherControl(element('div', { class: 'booth-control' }, [label, this.switchAbout]));
  }

  #render() {
    // "20 seconds", "1 minute": the language's own plural and unit words (Intl), digits 0-9.
    const duration = (ms) => {
      const [value, unit] = ms % 60_000 ? [ms / 1000, 'second'] : [ms / 60_000, 'minute'];
      return new Intl.NumberFormat(i18n.lang, { style: 'unit', unit, unitDisplay: 'long',
                                                numberingSystem: 'latn' }).format(value);
    };
    this.attractTitle.textContent = i18n.t('booth.attractTitle');
    this.attractLine.textContent = i18n.t('booth.attractLine');
    this.attractStart.textContent = i18n.t('booth.attractStart');
    this.switchText.textContent = i18n.t('booth.switch');
    this.switchAbout.textContent = i18n.t('booth.about', { idle: duration(kIdleClearMs),
                                                           attract: duration(kAttractMs) });
  }
}
