import { describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import { DEPRECATED_SWITCHES, loadConfig } from '../../services/core/config.ts';

const REMEDIATION_RISK = new Map(AUDITORS.flatMap((auditor) => Object.entries(auditor.remediations).map(([id, remediation]) => [id, remediation.risk] as const)));

describe('deprecated per-remediation switches', () => {
  it.each(Object.entries(DEPRECATED_SWITCHES))('%s names disruptive remediations that exist', (_name, checkIds) => {
    for (const checkId of checkIds) expect(REMEDIATION_RISK.get(checkId)).toBe('disruptive');
  });

  it.each(Object.entries(DEPRECATED_SWITCHES))('%s=true adds its checks to remediateChecks, with one warning that says what replaces it', (name, checkIds) => {
    const warnings: string[] = [];
    const config = loadConfig({ env: {}, flags: { remediateChecks: ['s3_bucket.public_acl'], [name]: true }, warn: (message) => warnings.push(message) });
    expect(config.remediateChecks).toEqual(['s3_bucket.public_acl', ...checkIds]);
    expect(warnings).toEqual([expect.stringContaining(`${name} (`)]);
    expect(warnings[0]).toContain(`list ${checkIds.join(', ')} in remediateChecks`);
    expect(Object.keys(config)).not.toContain(name);
  });

  it('false opts nothing in and still warns; unset warns nothing', () => {
    const warnings: string[] = [];
    expect(loadConfig({ env: { REVOKE_OPEN_INGRESS: 'false' }, warn: (message) => warnings.push(message) }).remediateChecks).toEqual([]);
    expect(warnings).toHaveLength(1);
    const none: string[] = [];
    loadConfig({ env: {}, warn: (message) => none.push(message) });
    expect(none).toEqual([]);
  });
});
