/**
 * Lint: ESLint's and typescript-eslint's recommended rules, plus the boundaries between the places
 * code runs (README, Architecture). An import across a boundary fails `npm run lint`:
 * - the renderer is UI only: it reaches the app through TandemApi, never its storage or Node;
 * - src/shared is browser-safe: no Node, no storage, no Electron;
 * - the core is plain Node: it never imports Electron or a shell;
 * - the relay shares only src/shared and src/node with the app;
 * - the preload exposes the contract and needs nothing but Electron and src/shared.
 * - the web shell's browser client, like the preload, reaches the core only through src/shared.
 * Specifiers are matched as written (relative paths are how the code imports); a test proves each
 * rule fires (tests/unit/lint/boundaries.test.ts).
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** A relative specifier that climbs to `folder` (a sibling of the importing folder or one of its parents). */
const up = (folder) => `^(\\.\\./)+${folder}`;

const NODE_BUILTINS = [
  { regex: '^node:', message: 'Node built-ins are not available in the browser.' },
  ...builtinModules
    .filter((m) => !m.startsWith('_'))
    .map((m) => ({ regex: `^${m}(/|$)`, message: 'Node built-ins are not available in the browser.' })),
];
const STORAGE = [
  { regex: '^better-sqlite3$', message: 'SQLite lives in the core; the browser side goes through TandemApi.' },
  { regex: '^kysely(/|$)', message: 'SQL lives in the core; the browser side goes through TandemApi.' },
];
const ELECTRON = { regex: '^electron(/|$)', message: 'Only src/main and src/preload may import Electron.' };
/**
 * The core's feature handlers and their context describe the contract: their types may be read
 * from the browser side (the web tsconfig checks they need no Node types); their code may not.
 */
const CORE_FROM_BROWSER = [
  { regex: `${up('core/')}(?!features/|context\\.js$)`, message: 'The browser side reaches the core through TandemApi only.' },
  {
    regex: `${up('core/')}(features/|context\\.js$)`,
    allowTypeImports: true,
    message: 'The browser side may import only types from the core.',
  },
];

/**
 * The same patterns for `import()`, which no-restricted-imports does not see; a dynamic import is
 * always a value import. esquery's regex literals cannot hold a slash, hence `\x2F`.
 */
const restrictDynamic = (patterns) =>
  patterns.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message }));

const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
  'no-restricted-syntax': ['error', ...restrictDynamic(patterns)],
});

const boundaries = [
  {
    files: ['src/renderer/**'],
    rules: restrict([
      ...CORE_FROM_BROWSER,
      { regex: up('(node|main|preload)(/|$)'), message: 'The renderer is UI only: Node code and the shells stay out of it.' },
      { regex: up('server(/|$)'), message: 'The renderer never imports the relay.' },
      { regex: up('web/(?!browser-client\\.js$)'), message: 'Of the web shell, only its browser client runs in the page.' },
      ...NODE_BUILTINS,
      ...STORAGE,
      ELECTRON,
    ]),
  },
  {
    files: ['src/shared/**'],
    rules: restrict([
      ...CORE_FROM_BROWSER,
      {
        regex: up('(node|main|preload|renderer|web)(/|$)'),
        message: 'src/shared is browser-safe and shared by all: it imports only itself.',
      },
      { regex: up('server(/|$)'), message: 'src/shared never imports the relay.' },
      ...NODE_BUILTINS,
      ...STORAGE,
      ELECTRON,
    ]),
  },
  {
    files: ['src/web/browser-client.ts'],
    rules: restrict([
      { regex: '^(?!\\.\\./shared/)\\.', message: "The web shell's browser client runs in the page: it imports only src/shared." },
      ...NODE_BUILTINS,
      ...STORAGE,
      ELECTRON,
    ]),
  },
  {
    files: ['src/core/**'],
    rules: restrict([
      ELECTRON,
      { regex: up('(main|preload|renderer|web)(/|$)'), message: 'The core runs in plain Node and knows no shell or UI.' },
      { regex: up('server(/|$)'), message: 'The core talks to the relay over the network only.' },
    ]),
  },
  // Operation handlers are written against the services of features/context.ts, over browser-safe
  // types only: the renderer's TandemApi type is derived from them (docs/architecture.md). What
  // needs Node, SQLite or another part of the core is a service the core provides. `toCore` is how
  // a file of that folder climbs back into the rest of src/core.
  ...[
    { files: ['src/core/features/**'], toCore: '^\\.\\./\\.\\./(?!\\.\\./|shared/)' },
    { files: ['src/core/features/*.ts'], toCore: '^\\.\\./(?!\\.\\./|shared/)' },
  ].map(({ files, toCore }) => ({
    files,
    rules: restrict([
      ELECTRON,
      ...NODE_BUILTINS,
      { regex: '^better-sqlite3$', message: 'Handlers reach SQLite through the core services (features/context.ts).' },
      { regex: '^kysely(/|$)', allowTypeImports: true, message: 'Handlers take the query builder from the core services.' },
      { regex: up('(node|main|preload|renderer|web)(/|$)'), message: 'Handlers use only src/shared and the core services.' },
      {
        regex: toCore,
        allowTypeImports: true,
        message: 'Handlers take the rest of the core from its services; only types may be imported.',
      },
    ]),
  })),
  {
    files: ['server/**'],
    rules: restrict([
      { regex: up('src/(?!shared/|node/)'), message: 'The relay shares only src/shared and src/node with the app.' },
      ELECTRON,
    ]),
  },
  {
    files: ['src/preload/**'],
    rules: restrict([
      { regex: '^(\\.\\./)+(?!\\.\\./|shared/)', message: 'The preload imports only src/shared and Electron.' },
      { regex: '^(?!\\.|electron(/|$))', message: 'The preload imports only src/shared and Electron (it is bundled into a sandbox).' },
    ]),
  },
  {
    // Node code logs through src/node/log.ts, which keeps secrets and document content out.
    files: ['src/core/**', 'src/node/**', 'server/**'],
    rules: { 'no-console': 'error' },
  },
];

export default defineConfig(
  globalIgnores(['out/', 'reports/', 'test-results/', 'playwright-report/', '.stryker-tmp*/', 'bench/.data/', 'tests/fixtures/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      // As tsc's noUnusedParameters: a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // A `let` that closures read before its one assignment cannot be a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  ...boundaries,
);
