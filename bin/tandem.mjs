#!/usr/bin/env node
// The `tandem` command: runs the TypeScript sources through tsx, like `npm run web` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/tandem.ts');
await main();
