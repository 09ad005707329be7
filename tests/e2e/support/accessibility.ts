// axe-core on the page as it is now: any serious or critical violation fails the journey, listed in full.
import fs from 'node:fs';
import type { Page } from 'playwright-core';

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

const BLOCKING = new Set(['serious', 'critical']);
let axeSource: string | undefined;

/**
 * page.evaluate runs through the DevTools protocol, which the app's `script-src 'self'` does not govern,
 * so axe is injected without weakening the CSP the journeys run under (addScriptTag's inline <script> is
 * refused by it, and bypassCSP would hide a real CSP breakage).
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate('typeof window.axe === "object"')) return;
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
}

export function describeViolations(url: string, violations: AxeViolation[]): string {
  const lines = [`${violations.length} serious or critical accessibility violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`);
    for (const node of v.nodes) lines.push(`    at ${node.target.map(String).join(' > ')}`);
  }
  return lines.join('\n');
}

export async function expectAccessible(page: Page): Promise<void> {
  await injectAxe(page);
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  )) as AxeViolation[];
  const blocking = violations.filter((v) => v.impact !== null && BLOCKING.has(v.impact));
  if (blocking.length > 0) throw new Error(describeViolations(page.url(), blocking));
}
