// Accessibility of what a page shows, checked with axe-core (WCAG 2 A and AA rules and axe's best
// practices, none turned off): a serious or critical violation fails the test, naming the rule,
// the elements and the page. browser.mjs runs it with every screenshot.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// CTest names the copy of axe-core its build installed; by hand, `npm ci` in tests/e2e.
const AXE_PATH =
  process.env.HOOKLINE_AXE_CORE ?? createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');

const FAILING = new Set(['serious', 'critical']);

// The violations of `page` as it is now: [{id, impact, help, nodes: [{target, summary}]}].
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not apply.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  });
}

// Throws when the page has a serious or critical violation; `where` names the page in the message.
export async function checkAccessibility(page, where) {
  const failing = (await axeViolations(page)).filter((v) => FAILING.has(v.impact));
  if (failing.length === 0) return;
  const lines = [`accessibility violations on ${where} (${page.url()}):`];
  for (const v of failing) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`    ${n.target}`);
      lines.push(...n.summary.split('\n').map((l) => `      ${l}`));
    }
    if (v.nodes.length > 10) lines.push(`    …and ${v.nodes.length - 10} more elements`);
  }
  throw new Error(lines.join('\n'));
}
