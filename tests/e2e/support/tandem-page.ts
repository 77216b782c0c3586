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

export interface ItemDetails {
  /** A purpose's label, as the picker shows it. */
  purpose?: string;
  context?: string;
  async?: boolean;
}

export async function addItem(page: Page, title: string, details: ItemDetails = {}): Promise<void> {
  const input = page.getByRole('textbox', { name: 'New agenda item' });
  await input.fill(title);
  if (details.purpose) await page.getByRole('combobox', { name: 'Purpose' }).selectOption({ label: details.purpose });
  await input.press('Enter');
  await expect.poll(() => titles(page)).toContain(title);
  if (details.context) {
    await agenda(page)
      .getByRole('button', { name: `Add context to ${title}` })
      .click();
    await page.getByRole('textbox', { name: `Context for ${title}` }).fill(details.context);
    await agenda(page)
      .getByRole('button', { name: `Context for ${title}` })
      .click();
  }
  if (details.async)
    await agenda(page)
      .getByRole('button', { name: `Async: ${title}` })
      .click();
}

/** The agenda row of the item titled `title`. */
export const itemRow = (page: Page, title: string) =>
  agenda(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('textbox', { name: 'Item title' }) })
    .filter({ has: page.getByRole('button', { name: `Reorder ${title}`, exact: true }) });

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
