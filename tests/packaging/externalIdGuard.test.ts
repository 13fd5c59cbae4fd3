import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_ID_PLACEHOLDER_PREFIX } from '../../services/core/config.ts';

interface Guard {
  externalIdRefusal(value: unknown): string | undefined;
  PLACEHOLDER_PREFIX: string;
}
const guard = createRequire(import.meta.url)('../../scripts/externalIdGuard.cjs') as Guard;

describe('serverless deploy refuses the ExternalId placeholder (scripts/externalIdGuard.cjs)', () => {
  it('uses the same placeholder prefix as the functions (services/core/config.ts)', () => {
    expect(guard.PLACEHOLDER_PREFIX).toBe(EXTERNAL_ID_PLACEHOLDER_PREFIX);
  });

  it.each([
    ['the shipped placeholder', 'change-me-to-a-secret-external-id', 'still the placeholder (chan...)'],
    ['the placeholder in capitals', 'CHANGE-ME-now-please', 'still the placeholder (CHAN...)'],
    ['nothing', undefined, 'is not set'],
    ['an empty value', '  ', 'is not set'],
    ['a value the member stack would refuse (MinLength 8)', 'x7Qp2', 'too short (5 characters'],
  ])('refuses %s, saying how to set it', (_case, value, reason) => {
    const refusal = guard.externalIdRefusal(value);
    expect(refusal).toContain(reason);
    expect(refusal).toContain('--param="externalId=<secret>"');
    if (typeof value === 'string' && value.length > 4) expect(refusal).not.toContain(value);
  });

  it('accepts a real secret', () => {
    expect(guard.externalIdRefusal('3f9c1e0a-7b4d-4e2a-9c55-0d7e1b2a6f48')).toBeUndefined();
  });

  it('serverless deploy with the default parameters stops before packaging or any AWS call', () => {
    const run = spawnSync('npx', ['serverless', 'deploy', '--stage', 'guard-test'], {
      encoding: 'utf8',
      timeout: 60_000,
      // No usable credentials: a deploy that got past the guard would fail later, differently.
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).not.toBe(0);
    expect(output).toContain('Deploy refused: externalId is still the placeholder (chan...)');
    expect(output).not.toContain('Packaging');
    expect(output).not.toContain('change-me-to-a-secret-external-id');
  }, 60_000);
});
