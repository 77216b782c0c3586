/**
 * Every screen an end-to-end test reaches is checked with axe (no serious or critical
 * violations) and saved as a screenshot in tests/e2e/screenshots/ (git-ignored) for people to look at.
 */
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const SHOTS = join(import.meta.dirname, '..', 'screenshots');

export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility violations on ${name}`).toEqual([]);
}
