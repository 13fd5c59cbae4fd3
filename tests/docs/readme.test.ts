import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../services/core/config.ts';
import { withCatalogue } from '../../scripts/checkCatalogue.ts';
import { AUDITORS } from '../../auditors/registry.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });

  it('documents every configuration key and its environment variable', () => {
    for (const [key, variable] of Object.entries(ENV_KEYS)) {
      expect(readme).toContain(`\`${key}\``);
      expect(readme).toContain(`\`${variable}\``);
    }
  });

  it('lists every check of the registry (run npm run docs when this fails)', () => {
    expect(withCatalogue(readme)).toBe(readme);
    for (const check of AUDITORS.flatMap((a) => a.checks)) expect(readme).toContain(`\`${check.id}\``);
  });
});
