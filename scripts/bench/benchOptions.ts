import { parseArgs } from 'node:util';
import { isKnownRegion } from '../../services/core/regions.ts';

export const BENCH_HELP = `Usage: npm run bench -- [--accounts N] [--regions R] [--resources K] [--latency MS] [--remediator-messages M]

Builds a sandbox organization of N accounts x R regions (K resources of each
bulk type per account and region, on top of the misconfiguration maker's set),
with MS of latency per call and AWS's documented token buckets, then measures
and prints (table on stdout, JSON under bench/results/):
  - cold start: each bundled handler's zip size and init time (median of 10)
  - poller CLI and the Lambda poll path (dispatcher, then the poll workers at
    serverless.yml's reserved concurrency): wall time, calls per service,
    AssumeRole calls, messages, resources lost, ratio to the lower bound
  - one poll unit against its longest single-service call chain
  - remediator: messages per second at 0 and MS latency, per-message overhead
    outside AWS calls, AssumeRole calls per account, peak memory, and one
    container's heap growth per account-region

  --accounts N              default 20
  --regions R               the first R of us-east-1, eu-west-1, us-west-2, ap-southeast-2, ... (default 4)
  --resources K             default 5
  --latency MS              per call, default 50
  --remediator-messages M   messages audited per remediator run, spread over the organization (default 2000)
  --help`;

/** The regions the bench uses, in order: the first is the home region. The 17 regions every account has enabled by default (issue 16's 500 x 17). */
export const BENCH_REGIONS = [
  'us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1', 'us-east-2', 'ca-central-1', 'eu-west-2',
  'eu-west-3', 'eu-north-1', 'ap-south-1', 'ap-southeast-1', 'ap-northeast-2', 'ap-northeast-3', 'sa-east-1', 'us-west-1',
] as const;

export interface BenchOptions {
  accounts: number;
  regions: string[];
  resources: number;
  latencyMs: number;
  remediatorMessages: number;
  help: boolean;
}

/** A bad flag: told to the user in one line, without a stack. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

function positiveInteger(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new BenchUsageError(`--${name}: expected a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        accounts: { type: 'string' },
        regions: { type: 'string' },
        resources: { type: 'string' },
        latency: { type: 'string' },
        'remediator-messages': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseFlags(argv);
  const latency = values.latency === undefined ? 50 : Number(values.latency);
  if (!Number.isFinite(latency) || latency < 0 || latency > 10_000) throw new BenchUsageError(`--latency: expected milliseconds from 0 to 10000, got ${JSON.stringify(values.latency)}`);
  const regionCount = positiveInteger('regions', values.regions, 4, BENCH_REGIONS.length);
  const regions: string[] = BENCH_REGIONS.slice(0, regionCount).filter((region) => isKnownRegion(region));
  return {
    accounts: positiveInteger('accounts', values.accounts, 20, 5000),
    regions,
    resources: positiveInteger('resources', values.resources, 5, 200),
    latencyMs: latency,
    remediatorMessages: positiveInteger('remediator-messages', values['remediator-messages'], 2000, 1_000_000),
    help: values.help === true,
  };
}
