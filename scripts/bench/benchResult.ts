import type { PackagedStack } from './coldStart.ts';
import type { LambdaPollRun } from './lambdaPollBench.ts';
import type { OneUnitRun, PollRun } from './pollerCliBench.ts';
import type { ContainerMemory, RemediatorRun } from './remediatorBench.ts';

/** Everything one `npm run bench` measured: what bench/results/*.json holds. */
export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemoryGiB: number; loadAverageAtStart: number; loadAverageAtEnd: number };
  shape: { accounts: number; regions: string[]; resourcesPerBulkType: number; latencyMs: number };
  organization: { buildSeconds: number; expectedMessages: number };
  coldStart: PackagedStack;
  pollerCli: PollRun & { lostResources: number };
  lambdaPoll: Omit<LambdaPollRun, 'resourceMessages'> & { lostResources: number };
  oneUnit: OneUnitRun;
  remediator: {
    atZeroLatency: RemediatorRun;
    atLatency: RemediatorRun;
    /** The same messages through one container at 0 ms: its clients warm after the first message of each account-region. */
    oneContainer: RemediatorRun;
    containerMemory: ContainerMemory;
  };
  targets: { target: string; measured: string; met: boolean | 'not measured' }[];
  totalSeconds: number;
}
