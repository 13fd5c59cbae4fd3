#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx remediator` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runRemediator } = await import('../services/remediator/cli.ts');
await runCli(() => runRemediator(process.argv.slice(2)));
