/**
 * Quick add, two figures.
 *
 * quick_add_ms_p50 / _p99 (target p99 < 5 ms): from Enter to persisted, core side. A core on a temp
 * data dir in this process with 12 1:1s (each with 30 agenda items) and a profile; each sample is
 * one `quickAdd` call through a core session with a line naming the 1:1 (`@sam … #career !async`,
 * so the name is matched too), timed with performance.now() from the call to its answer, which
 * comes after the item's update is appended to doc_updates (synchronous=FULL) and the last-used
 * 1:1 is written. The documents are loaded, as they are once Tandem has run a while; 20 unrecorded
 * warm-up calls, then RUNS calls.
 *
 * quick_add_window_ms (target < 150 ms): from the shortcut to a focused input, in the web shell's
 * #/quick-add route: the same core behind the web shell in this process, the built renderer in
 * Debian's chromium (playwright-core). Each sample opens a new page at the route and reads, in the
 * page, performance.now() when the input receives focus: the time since the navigation started.
 * One unrecorded warm-up page, then WINDOW_RUNS pages; the median. The Electron window adds its
 * own creation time, measurable only where an Electron binary exists.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/quick-add.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { TandemCore } from '../src/core/tandem-core.js';
import { startWebShell } from '../src/web/server.js';
import { percentiles, type Figures } from './figures.js';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 500;
const WINDOW_RUNS = 20;
const PARTNERS = [
  'Sam Lee',
  'Samira Okafor',
  'Alex Kim',
  'Jordan Reyes',
  'Priya Nair',
  'Chen Wei',
  'Maria Rossi',
  'Tom Berg',
  'Ana Silva',
  'Lars Holm',
  'Noor Aziz',
  'Eli Cohen',
];
const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';

async function seededCore(dataDir: string): Promise<TandemCore> {
  const core = await TandemCore.open({ dataDir });
  const api = core.connect();
  await api.setProfile({ name: 'Dana Whitfield' });
  for (const partnerName of PARTNERS) {
    const { id } = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName });
    for (let i = 0; i < 30; i++) await api.addAgendaItem({ seriesId: id, title: `Topic ${i}` });
  }
  return core;
}

export async function measureQuickAdd(): Promise<{ add: ReturnType<typeof percentiles>; windowMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-quick-'));
  const core = await seededCore(dataDir);
  try {
    const api = core.connect();
    const samples: number[] = [];
    for (let run = 0; run < RUNS + 20; run++) {
      const t = performance.now();
      await api.quickAdd({ line: `@sam promotion timeline ${run} #career !async` });
      if (run >= 20) samples.push(performance.now() - t);
    }
    const add = percentiles(samples);

    if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
      execFileSync('npm', ['run', 'build:renderer'], { cwd: ROOT, stdio: 'ignore' });
    const shell = await startWebShell({ core, rendererDir: join(ROOT, 'out', 'renderer'), port: 0, token: 'b'.repeat(43) });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const context = await browser.newContext();
      await context.addInitScript(() => {
        document.addEventListener(
          'focusin',
          (e) => {
            if ((e.target as Element).getAttribute('aria-label') === 'Quick add')
              (window as { focusedAt?: number }).focusedAt ??= performance.now();
          },
          true,
        );
      });
      const windows: number[] = [];
      for (let run = 0; run <= WINDOW_RUNS; run++) {
        const page = await context.newPage();
        await page.goto(`${shell.url}#/quick-add`);
        const focusedAt = await page.waitForFunction(() => (window as { focusedAt?: number }).focusedAt);
        if (run > 0) windows.push((await focusedAt.jsonValue()) as number);
        await page.close();
      }
      return { add, windowMs: percentiles(windows).p50 };
    } finally {
      await browser.close();
      await shell.close();
    }
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const quickAddFigures = (r: Awaited<ReturnType<typeof measureQuickAdd>>): Figures => ({
  quick_add_ms_p50: r.add.p50,
  quick_add_ms_p99: r.add.p99,
  quick_add_window_ms: r.windowMs,
});

export function formatQuickAdd(r: Awaited<ReturnType<typeof measureQuickAdd>>): string {
  const f = (v: number) => v.toFixed(2);
  return [
    `  quick add, Enter to persisted (n=${r.add.n}): p50 ${f(r.add.p50)} ms, p95 ${f(r.add.p95)} ms, p99 ${f(r.add.p99)} ms, max ${f(r.add.max)} ms (target p99 < 5 ms)`,
    `  quick-add route, navigation to focused input (median of ${WINDOW_RUNS}): ${f(r.windowMs)} ms (target < 150 ms)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatQuickAdd(await measureQuickAdd()));
}
