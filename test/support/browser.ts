/**
 * Debian's Chromium through playwright-core (never a downloaded browser), with an accessibility check by axe-core on
 * every page a test opens: no violation of serious or critical impact is allowed.
 */
import { readFileSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

let axeSource: string | null = null;

/** axe-core's findings of serious or critical impact on the page as it stands ([] when there are none). */
export async function accessibilityViolations(page: Page): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as it is for the page itself.
  await page.evaluate(axeSource);
  // Runs in the page (no DOM types here): axe.run over the whole document.
  type Found = { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const result = await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })') as Found;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Screenshots for docs/workbench.md, written only when REDRESS_SCREENSHOTS names the folder (docs/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.REDRESS_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
