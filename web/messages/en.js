// English: every word of the page, and the reference the other catalogues follow (the same
// keys, the same {placeholders}; tests/web/messages.test.mjs checks). Written for children of
// 10-14 and the teachers with them: short sentences, the machine as the subject, no jargon
// without a plain word beside it. See web/i18n.js for how the page uses them.
(self.digitDrawerMessages = self.digitDrawerMessages || {}).en = {
  'language.name': 'English',
  'language.dir': 'ltr',
  'language.label': 'Language',

  'app.name': 'Digit Drawer',
  'app.shortName': 'Digits',
  'app.description': 'Draw a digit and watch machine-learning models guess it, live, in your browser, with no network.',

  'headline.none': 'Draw a digit. Can you trick the machines?',
  'headline.agree': 'They all say {digit}.',
  'headline.single': '{name} says {digit}.',
  'headline.split': 'They disagree! Which one is right?',
  'headline.allDiffer': { one: '{count} different answer: you tricked them!', other: '{count} different answers: you tricked them!' },
  'headline.error': 'Digit Drawer cannot start.',

  'status.loading': 'Waking up the machines…',
  'status.empty': 'Draw a digit from 0 to 9!',

  'pad.label': 'Drawing pad: draw one digit from 0 to 9',
  'pad.strokes': { one: 'Drawing pad, {count} stroke drawn', other: 'Drawing pad, {count} strokes drawn' },
  'pad.off': 'Drawing pad, switched off',
  'tools.undo': 'Undo',
  'tools.undoTitle': 'Undo the last stroke (Ctrl+Z)',
  'tools.clear': 'Clear',
  'tools.clearTitle': 'Clear the pad (Esc)',
  'seen.caption': 'What the machines see',
  'seen.label': 'The 28 by 28 pixel picture the machines see',
  'seen.empty': 'The 28 by 28 pixel picture the machines see: empty',

  'model.logreg.name': 'Logistic regression',
  'model.logreg.blurb': 'the pixel scorer: one weight per pixel',
  'model.forest.name': 'Random forest',
  'model.forest.blurb': '100 decision trees vote',
  'model.lenet.name': 'LeNet-5',
  'model.lenet.blurb': 'a neural network that looks for shapes',

  'panel.sure': '{percent} sure',
  'panel.chart': 'How sure {name} is of each digit: {list}',
  'panel.chartItem': '{digit}: {percent}',
  'panel.chartEmpty': '{name} has nothing to look at yet',
  'panel.missing': 'This machine cannot guess: its file {file} is missing or damaged. Copy the whole Digit Drawer folder again.',
  'panel.missingOneFile': 'This machine cannot guess: its part of this page is missing or damaged. Copy digit-drawer.html again.',
  'inside.open': 'How does it decide?',
  'inside.openModel': 'How does {name} decide?',
  'inside.close': 'Close',

  'announce.empty': 'The pad is empty.',
  'announce.guess': '{name} says {digit}, {percent} sure',
  'announce.cannot': '{name} cannot guess',
  'announce.result': '{guesses}. {headline}',

  'offline.saved': 'Saved on this device: Digit Drawer now works without a network.',

  'error.title': 'Digit Drawer cannot start',
  'error.reload': 'Reload',
  'error.details': 'Details for whoever set up this page',
  'error.incomplete': 'This copy of Digit Drawer is incomplete: the file {file} is missing or damaged.',
  'error.incompleteOneFile': 'This copy of digit-drawer.html is incomplete or damaged.',
  'error.cutShort': 'This copy of digit-drawer.html is incomplete: it was cut short, probably while it was being copied.',
  'error.noModels': 'None of the machines can start: their files are missing or damaged.',
  'error.predict': 'Digit Drawer could not read the drawing.',
  'error.tooOld': 'This browser is too old to run Digit Drawer.',
  'error.scripts': 'This browser could not run the page: it is probably too old.',
  'error.openedAsFile': 'This page was opened as a file. Browsers only run it when a web server sends it.',
  'error.timeout': 'Digit Drawer did not finish starting within 30 seconds.',
  'hint.copyFolder': 'Copy the whole Digit Drawer folder again (or ask whoever set it up), then reload the page.',
  'hint.copyOneFile': 'Copy digit-drawer.html again from where you got it, then open the copy.',
  'hint.newerBrowser': 'Open this page in a recent Chrome, Edge, Firefox or Safari (from 2021 or later).',
  'hint.openOneFile': 'Open digit-drawer.html instead: it is the whole page in one file, made to be opened from a folder or a USB stick.',
  'hint.reload': 'Reload the page. If it happens again, tell whoever set up this page.',
};
