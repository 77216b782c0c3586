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
 * The pages share one browser profile, as the tab of anyone who opens the route again does: the
 * build's content-hashed scripts come from its cache, with the code V8 compiled from them. One
 * unrecorded warm-up page, then WINDOW_RUNS pages; the median.
 *
 * quick_add_window_cold_ms: the same, each page in a fresh browser context (an empty cache): the
 * first open of the route in a new browser profile. The median of WINDOW_RUNS.
 *
 * The desktop app does neither on the shortcut: its window is made, hidden, once Tandem is idle
 * after starting, and the shortcut only places, shows and focuses it; that needs an Electron binary
 * to measure. Both lines print the load average beside them (the page's work is Chromium's, not
 * this process's, so no CPU time is given).
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/quick-add.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
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

/** A browser context whose pages note when the quick-add input first receives focus. */
async function timedContext(browser: Browser): Promise<BrowserContext> {
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
  return context;
}

/** Milliseconds from navigation start to the quick-add input's focus, in a new page of `context`. */
async function openRoute(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.goto(url);
  const focusedAt = await page.waitForFunction(() => (window as { focusedAt?: number }).focusedAt);
  const ms = (await focusedAt.jsonValue()) as number;
  await page.close();
  return ms;
}

const loadAverage = () => loadavg()[0]!.toFixed(1);

interface WindowFigure {
  ms: number;
  load: string;
}

async function measureWindow(browser: Browser, url: string, cold: boolean): Promise<WindowFigure> {
  const shared = cold ? null : await timedContext(browser);
  const samples: number[] = [];
  for (let run = 0; run <= WINDOW_RUNS; run++) {
    const context = shared ?? (await timedContext(browser));
    const ms = await openRoute(context, url);
    if (run > 0) samples.push(ms);
    if (!shared) await context.close();
  }
  await shared?.close();
  return { ms: percentiles(samples).p50, load: loadAverage() };
}

export async function measureQuickAdd(): Promise<{ add: ReturnType<typeof percentiles>; window: WindowFigure; cold: WindowFigure }> {
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
      const url = `${shell.url}#/quick-add`;
      return { add, window: await measureWindow(browser, url, false), cold: await measureWindow(browser, url, true) };
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
  quick_add_window_ms: r.window.ms,
  quick_add_window_cold_ms: r.cold.ms,
});

export function formatQuickAdd(r: Awaited<ReturnType<typeof measureQuickAdd>>): string {
  const f = (v: number) => v.toFixed(2);
  return [
    `  quick add, Enter to persisted (n=${r.add.n}): p50 ${f(r.add.p50)} ms, p95 ${f(r.add.p95)} ms, p99 ${f(r.add.p99)} ms, max ${f(r.add.max)} ms (target p99 < 5 ms)`,
    `  quick-add route, navigation to focused input (median of ${WINDOW_RUNS}): ${f(r.window.ms)} ms at load average ${r.window.load} (target < 150 ms)`,
    `  the same, first open in a fresh browser profile (median of ${WINDOW_RUNS}): ${f(r.cold.ms)} ms at load average ${r.cold.load}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatQuickAdd(await measureQuickAdd()));
}
