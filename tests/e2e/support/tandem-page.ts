/** The steps a person takes in Tandem, in the words of the UI's accessible names. */
import { expect, type Page } from '@playwright/test';

export async function firstRun(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('button', { name: 'New 1:1' })).toBeVisible();
}

export async function createSeries(page: Page, partner: string): Promise<void> {
  await page.getByRole('button', { name: 'New 1:1' }).click();
  await page.getByRole('textbox', { name: 'Their name' }).fill(partner);
  await page.getByRole('radio', { name: 'Manager – report' }).check();
  await page.getByRole('radio', { name: "I'm the manager" }).check();
}

export async function openSeries(page: Page, partner: string): Promise<void> {
  await page
    .getByRole('link', { name: new RegExp(`^${partner}`) })
    .or(page.getByRole('button', { name: new RegExp(`^${partner}`) }))
    .first()
    .click();
  await expect(page.getByRole('textbox', { name: 'New agenda item' })).toBeVisible();
}

export async function addItem(page: Page, title: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'New agenda item' });
  await input.fill(title);
  await input.press('Enter');
  await expect.poll(() => titles(page)).toContain(title);
}

export const agenda = (page: Page) => page.getByRole('list', { name: 'Agenda' });
export const agendaTitles = (page: Page) => agenda(page).getByRole('textbox', { name: 'Item title' });

export async function titles(page: Page): Promise<string[]> {
  return agendaTitles(page).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
}

export const notes = (page: Page) => page.getByRole('textbox', { name: 'Shared notes' });

/** Waits until every edit made in the page is stored by the core. */
export async function saved(page: Page): Promise<void> {
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
}
