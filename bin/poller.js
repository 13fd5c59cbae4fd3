#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx poller` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runPoller } = await import('../services/poller/cli.ts');
await runCli(() => runPoller(process.argv.slice(2)));
