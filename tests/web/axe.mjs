// axe-core (pinned in package-lock.json) run inside a page of the browser tests. The page's CSP
// allows no inline script, so axe's source is evaluated through the DevTools protocol
// (page.evaluate), which CSP does not govern; the page itself is left as it is.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
                                  'utf8');

// WCAG 2.0 and 2.1, levels A and AA: what the page promises (README "The page").
export const kWcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// The violations axe finds in the page as it is now: [{ id, impact, help, nodes: [{ target,
// summary }] }], empty when there are none.
export async function axeViolations(page, { tags = kWcagTags } = {}) {
  if (!await page.evaluate(() => 'axe' in window)) await page.evaluate(axeSource);
  return page.evaluate(async (values) => {
    const results = await window.axe.run(document, { runOnly: { type: 'tag', values } });
    return results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, tags);
}

// One readable paragraph per violation: what is wrong, then each element and why.
export function formatViolations(violations) {
  return violations.map((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    ...v.nodes.map((n) => `  ${n.target}\n    ${n.summary.replaceAll('\n', '\n    ')}`),
  ].join('\n')).join('\n');
}
