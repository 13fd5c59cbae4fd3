/**
 * Every named moto gap points at a moto source line that exists in the
 * installed moto and at a test file that names the gap (a gap no test meets
 * would be a silent one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOTO_GAPS } from './gaps.ts';
import { motoEndpoint } from './moto.ts';

function motoPackageDir(): string {
  motoEndpoint(); // fails with the install hint when moto is missing
  return execFileSync(process.env.MOTO_PYTHON ?? 'python3', ['-c', 'import moto, os; print(os.path.dirname(moto.__file__))'], { encoding: 'utf8' }).trim();
}

describe('named moto gaps (integration)', () => {
  it.each(MOTO_GAPS.map((gap) => [gap.id, gap] as const))('%s: the moto source line exists and its test names the gap', (id, gap) => {
    const [file = '', line = '0'] = gap.motoSource.split(':');
    const source = readFileSync(join(motoPackageDir(), file), 'utf8').split('\n');
    expect(source.length).toBeGreaterThanOrEqual(Number(line));
    expect(existsSync(gap.workaround.test)).toBe(true);
    expect(readFileSync(gap.workaround.test, 'utf8')).toContain(`motoGap('${id}')`);
  });
});
