/** The README's posture table stays true to the controls: every check, its switch and every permission it adds. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGION_CONTROLS } from '../../../auditors/region/index.ts';
import { ENV_KEYS } from '../../../services/core/config.ts';
import { makeConfig } from '../../helpers/context.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Account and region posture'), readme.indexOf('### The baseline report'));

describe('README control table', () => {
  it.each(REGION_CONTROLS.map((bound) => [bound.control.check, bound] as const))('%s', (check, bound) => {
    const row = section.split('\n').find((line) => line.startsWith(`| \`region.${check}\` |`));
    expect(row, `README lacks a row for region.${check}`).toBeDefined();
    const enablement = bound.control.enablement;
    for (const action of [...bound.control.permissions, ...(enablement?.permissions ?? [])]) expect(row).toContain(`\`${action}\``);
    if (!enablement) return expect(row).toContain('none (notify only)');
    const switchKey = (Object.keys(ENV_KEYS) as (keyof typeof ENV_KEYS)[]).find(
      (key) => key.startsWith('enable') && enablement.enabled(makeConfig({ [key]: true })) && !enablement.enabled(makeConfig()),
    );
    expect(switchKey).toBeDefined();
    expect(row).toContain(`\`${switchKey}\`: ${enablement.description}`);
  });
});
