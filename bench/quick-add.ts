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
 * The entry script puts a plain input in the page and focuses it before React loads (the route's
 * component takes its text over when it mounts), so this is the time until typed keys are kept.
 *
 * quick_add_window_ready_ms: in the same pages, from navigation start to the route's 1:1 picker
 * listing the 1:1s (React mounted, the connection to the core open, the choices in): the time
 * until Tab, the arrows and Enter act on the line.
 *
 * quick_add_window_floor_ms: what Chromium needs to show any focused input here. Interleaved with
 * the route's pages in the same browser profile, a page from a bare loopback HTTP server whose
 * whole HTML is `<input aria-label="Quick add" autofocus>`, timed the same way. The median of
 * WINDOW_RUNS.
 *
 * quick_add_window_cpu_ms: the CPU time the page's main thread spends from navigation start to the
 * input's focus, which the load on a shared machine does not stretch as it stretches wall time.
 * TRACED_RUNS pages in their own browser profile (warmed by one page first), each under a Chromium
 * trace (categories toplevel and blink.user_timing): the thread clock at the focus mark minus the
 * thread clock at the start of the thread's first task after navigation start. Work in Chromium's
 * other processes and threads (network, browser, compositor) is not in it. The median.
 *
 * quick_add_window_cold_ms: the route, each page in a fresh browser context (an empty cache): the
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
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const TRACED_RUNS = 7;
const FOCUS_MARK = 'quick-add-focused';
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

/** A browser context whose pages note when the quick-add input first receives focus, and when the picker first lists a 1:1. */
async function timedContext(browser: Browser, traced = false): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(
    ({ traced, mark }) => {
      const marks = window as { focusedAt?: number; readyAt?: number };
      document.addEventListener(
        'focusin',
        (e) => {
          if ((e.target as Element).getAttribute('aria-label') !== 'Quick add' || marks.focusedAt !== undefined) return;
          marks.focusedAt = performance.now();
          if (traced) performance.mark(mark);
        },
        true,
      );
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[role="option"]')) return;
        marks.readyAt = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    },
    { traced, mark: FOCUS_MARK },
  );
  return context;
}

interface PageTimes {
  focused: number;
  ready: number | null;
}

/**
 * Milliseconds from navigation start to the quick-add input's focus (and to the picker listing a
 * 1:1), in a new page of `context`. One wait for the last mark, so the harness's own script runs
 * in the page once, at the same point whichever marks are awaited.
 */
async function openRoute(context: BrowserContext, url: string, picker: boolean): Promise<PageTimes> {
  const page = await context.newPage();
  await page.goto(url);
  const marks = await page.waitForFunction((picker) => {
    const { focusedAt, readyAt } = window as { focusedAt?: number; readyAt?: number };
    return focusedAt !== undefined && (!picker || readyAt !== undefined) && { focused: focusedAt, ready: readyAt ?? null };
  }, picker);
  const times = (await marks.jsonValue()) as PageTimes;
  await page.close();
  return times;
}

/** A loopback server whose one page is a lone autofocused input: the floor under any page's figure. */
async function startFloorServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><input aria-label="Quick add" autofocus>'),
  );
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const loadAverage = () => loadavg()[0]!.toFixed(1);

interface WindowFigure {
  ms: number;
  load: string;
}

interface WindowFigures {
  window: WindowFigure;
  ready: WindowFigure;
  floor: WindowFigure;
}

/** The route's pages in one browser profile, each followed by a floor page in the same profile. */
async function measureWindow(browser: Browser, url: string, floorUrl: string): Promise<WindowFigures> {
  const context = await timedContext(browser);
  const focused: number[] = [];
  const ready: number[] = [];
  const floor: number[] = [];
  for (let run = 0; run <= WINDOW_RUNS; run++) {
    const route = await openRoute(context, url, true);
    const bare = await openRoute(context, floorUrl, false);
    if (run === 0) continue;
    focused.push(route.focused);
    ready.push(route.ready!);
    floor.push(bare.focused);
  }
  await context.close();
  const load = loadAverage();
  const median = (samples: number[]) => ({ ms: percentiles(samples).p50, load });
  return { window: median(focused), ready: median(ready), floor: median(floor) };
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  ts: number;
  tts?: number;
  args?: { data?: { navigationId?: string } };
}

/** The page's main-thread CPU milliseconds from navigation start to the focus mark, in a trace of one page. */
function mainThreadCpuToFocus(events: TraceEvent[]): number {
  const focus = events.find((e) => e.name === FOCUS_MARK);
  const start = events.find((e) => e.name === 'navigationStart' && e.args?.data?.navigationId === focus?.args?.data?.navigationId);
  if (!focus?.tts || !start) throw new Error('the trace lacks the navigation start or the focus mark');
  const first = events
    .filter((e) => e.pid === focus.pid && e.tid === focus.tid && e.name === 'ThreadControllerImpl::RunTask' && e.ts >= start.ts && e.tts)
    .sort((a, b) => a.ts - b.ts)[0];
  if (!first) throw new Error('the trace has no task on the page’s main thread after navigation start');
  return (focus.tts - first.tts!) / 1000;
}

async function measureCpu(browser: Browser, url: string): Promise<WindowFigure> {
  const context = await timedContext(browser, true);
  const samples: number[] = [];
  for (let run = 0; run <= TRACED_RUNS; run++) {
    if (run > 0) await browser.startTracing(undefined, { categories: ['toplevel', 'blink.user_timing'] });
    await openRoute(context, url, false);
    if (run > 0)
      samples.push(
        mainThreadCpuToFocus((JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents),
      );
  }
  await context.close();
  return { ms: percentiles(samples).p50, load: loadAverage() };
}

async function measureCold(browser: Browser, url: string): Promise<WindowFigure> {
  const samples: number[] = [];
  for (let run = 0; run <= WINDOW_RUNS; run++) {
    const context = await timedContext(browser);
    const { focused } = await openRoute(context, url, false);
    if (run > 0) samples.push(focused);
    await context.close();
  }
  return { ms: percentiles(samples).p50, load: loadAverage() };
}

export async function measureQuickAdd(): Promise<
  { add: ReturnType<typeof percentiles>; cold: WindowFigure; cpu: WindowFigure } & WindowFigures
> {
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
    const floor = await startFloorServer();
    try {
      const url = `${shell.url}#/quick-add`;
      return {
        add,
        ...(await measureWindow(browser, url, floor.url)),
        cold: await measureCold(browser, url),
        cpu: await measureCpu(browser, url),
      };
    } finally {
      await browser.close();
      await shell.close();
      floor.server.close();
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
  quick_add_window_ready_ms: r.ready.ms,
  quick_add_window_floor_ms: r.floor.ms,
  quick_add_window_cpu_ms: r.cpu.ms,
});

export function formatQuickAdd(r: Awaited<ReturnType<typeof measureQuickAdd>>): string {
  const f = (v: number) => v.toFixed(2);
  return [
    `  quick add, Enter to persisted (n=${r.add.n}): p50 ${f(r.add.p50)} ms, p95 ${f(r.add.p95)} ms, p99 ${f(r.add.p99)} ms, max ${f(r.add.max)} ms (target p99 < 5 ms)`,
    `  quick-add route, navigation to focused input (median of ${WINDOW_RUNS}): ${f(r.window.ms)} ms at load average ${r.window.load} (target < 150 ms)`,
    `  the same, first open in a fresh browser profile (median of ${WINDOW_RUNS}): ${f(r.cold.ms)} ms at load average ${r.cold.load}`,
    `  the route's picker listing the 1:1s, same pages as the first (median of ${WINDOW_RUNS}): ${f(r.ready.ms)} ms at load average ${r.ready.load}`,
    `  the page's main-thread CPU time to the focused input, traced (median of ${TRACED_RUNS}): ${f(r.cpu.ms)} ms at load average ${r.cpu.load}`,
    `  floor: a lone autofocused input from a bare server, interleaved (median of ${WINDOW_RUNS}): ${f(r.floor.ms)} ms at load average ${r.floor.load}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatQuickAdd(await measureQuickAdd()));
}
