import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, heapGrowthChosenByOperator } from '../../services/poller/heapGrowth.ts';

const CHURN = fileURLToPath(new URL('./fixtures/heapChurn.ts', import.meta.url));

async function peakMiB(bound: boolean, nodeFlags: string[] = []): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, '--import', 'tsx', CHURN, ...(bound ? ['bound'] : [])], { env: { ...process.env, NODE_OPTIONS: '' } });
  return (JSON.parse(stdout) as { peakMiB: number }).peakMiB;
}

describe('boundHeapGrowth', () => {
  it('holds a worker thread started after it to a much smaller heap than V8 lets it reach alone', async () => {
    const [alone, bounded] = await Promise.all([peakMiB(false), peakMiB(true)]);
    // Measured: about 600 MiB alone, 300 MiB bounded (about 100 MiB alive in both).
    expect(bounded).toBeLessThan(alone * 0.75);
  }, 60_000);

  it("leaves the operator's own choice alone", async () => {
    const [alone, bounded] = await Promise.all([peakMiB(false, ['--heap-growing-percent=300']), peakMiB(true, ['--heap-growing-percent=300'])]);
    expect(bounded).toBeGreaterThan(alone * 0.75);
  }, 60_000);

  it("reads the choice from node's flags, in either spelling", () => {
    expect(heapGrowthChosenByOperator(['--heap-growing-percent=20'])).toBe(true);
    expect(heapGrowthChosenByOperator(['--max-old-space-size=512', '--heap_growing_percent=20'])).toBe(true);
    expect(heapGrowthChosenByOperator(['--max-old-space-size=512', '--enable-source-maps'])).toBe(false);
  });

  it('refuses a percent that is not a whole number from 1', () => {
    expect(() => boundHeapGrowth(0)).toThrow(RangeError);
    expect(() => boundHeapGrowth(12.5)).toThrow(RangeError);
  });
});
