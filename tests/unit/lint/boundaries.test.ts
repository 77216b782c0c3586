/**
 * The import boundaries of eslint.config.js, proven on fixtures: each file under
 * tests/fixtures/lint is linted as if it sat at the same path in the repository, and exactly the
 * lines it marks `// forbidden` must be reported.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'tests/fixtures/lint');
const BOUNDARY_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax', 'no-console']);

const fixtures = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f))
  .sort();

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

describe('lint boundaries', () => {
  it.each(fixtures)('reports exactly the forbidden lines of %s', async (fixture) => {
    const text = readFileSync(join(FIXTURES, fixture), 'utf8');
    const [result] = await eslint.lintText(text, { filePath: join(ROOT, fixture) });
    const forbidden = text.split('\n').flatMap((line, i) => (line.endsWith('// forbidden') ? [`${i + 1}: ${line}`] : []));
    const reported = result!.messages.map((m) => `${m.line}: ${text.split('\n')[m.line - 1]}`);

    expect(forbidden.length).toBeGreaterThan(0);
    expect(result!.messages.filter((m) => !BOUNDARY_RULES.has(m.ruleId ?? ''))).toEqual([]);
    expect(reported).toEqual(forbidden);
  });

  it('keeps the fixtures out of the normal lint run', async () => {
    for (const fixture of fixtures) expect(await eslint.isPathIgnored(join(FIXTURES, fixture))).toBe(true);
    expect(await eslint.isPathIgnored(join(ROOT, 'src/renderer/App.tsx'))).toBe(false);
  });

  it('covers every folder with a boundary', () => {
    const folders = new Set(
      fixtures.map((f) =>
        f
          .split('/')
          .slice(0, f.startsWith('src/') ? 2 : 1)
          .join('/'),
      ),
    );
    expect([...folders].sort()).toEqual(['server', 'src/core', 'src/node', 'src/preload', 'src/renderer', 'src/shared', 'src/web']);
  });
});
