/** The remediator on region messages: findings as always, then one line with every control's status (no checkId). */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { runRemediator } from '../../services/remediator/cli.ts';
import { PROD, REGIONS, TEAM, organizationWorld } from './world.ts';

describe('remediator --json on region messages', () => {
  it('writes the findings, then the per-control status of the region', async () => {
    // Prepare
    const world = organizationWorld();
    world.errors.delete(`${PROD}/eu-west-1 AuditManager GetAccountStatus`);
    const lines: string[] = [];
    const input = Readable.from([`${JSON.stringify({ account: TEAM, region: 'eu-west-1', type: 'region', id: '' })}\n`]);
    // Act
    const code = await runRemediator(['--accounts', `${PROD},${TEAM}`, '--regions', REGIONS.join(','), '--no-assume-role', '--json'], {
      input,
      write: (text) => lines.push(...text.trimEnd().split('\n')),
      isTty: false,
      log: memoryLog(),
      factory: world.factory(),
    });
    // Assess
    const [finding, posture, ...rest] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(code).toBe(1);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ checkId: 'region.cloudtrail_not_logging', type: 'region', id: '', account: TEAM, region: 'eu-west-1', detail: 'no trail covers eu-west-1', remediation: 'none' });
    expect(posture).toMatchObject({
      account: TEAM,
      region: 'eu-west-1',
      type: 'region',
      id: '',
      controls: {
        cloudtrail: { status: 'disabled', required: true, detail: 'no trail covers eu-west-1', checkId: 'region.cloudtrail_not_logging' },
        vpc_flow_logs: { status: 'not_applicable', required: true, detail: 'no VPCs in the region', checkId: 'region.vpc_flow_logs_missing' },
        root_mfa: { status: 'not_applicable' },
      },
    });
    expect(posture).not.toHaveProperty('checkId');
  });
});
