/**
 * Ends the run with one plain line, "Tests: N passed, N failed, N skipped",
 * that any CI can read, after Vitest's own summary; before it, how many
 * tests ran against moto and the named moto gaps (tests/integration/gaps.ts).
 */
import type { Reporter, TestModule } from 'vitest/node';
import { MOTO_GAPS } from './integration/gaps.ts';

/** Tests in tests/integration/ run against the moto server of the global setup. */
const MOTO_BACKED = /[\\/]tests[\\/]integration[\\/]/;

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let motoBacked = 0;
    for (const module of testModules) {
      if (MOTO_BACKED.test(module.moduleId)) motoBacked += [...module.children.allTests()].length;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed += 1;
    }
    process.stdout.write(`\nmoto-backed: ${motoBacked} tests; gaps: ${MOTO_GAPS.map((gap) => `${gap.id} (moto/${gap.motoSource})`).join(', ')}\n`);
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
