#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx findings` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runFindings } = await import('../services/findings-store/cli.ts');
await runCli(() => runFindings(process.argv.slice(2)));
