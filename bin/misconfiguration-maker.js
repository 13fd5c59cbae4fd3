#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx misconfiguration-maker` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../services/core/cliRuntime.ts');
const { runMaker } = await import('../misconfiguration-maker/cli.ts');
await runCli(() => runMaker(process.argv.slice(2)));
