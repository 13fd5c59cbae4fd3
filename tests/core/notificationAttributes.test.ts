import { describe, expect, it } from 'vitest';
import type { Finding } from '../../services/core/findings.ts';
import { notificationAttributes } from '../../services/core/notifications.ts';

const RESOURCE = { account: '111111111111', region: 'us-east-1', type: 's3_bucket', id: 'public-site' } as const;

function finding(checkId: string, controls?: Finding['controls']): Finding {
  return {
    findingId: checkId.replace(/\W/g, ''),
    checkId,
    title: checkId,
    severity: 'high',
    ...RESOURCE,
    detail: 'd',
    remediation: 'planned',
    ...(controls ? { controls } : {}),
  };
}

describe('SNS message attributes', () => {
  it.each<[string, Finding[], Record<string, string> | undefined, Record<string, string> | undefined]>([
    ['no finding declares controls: no framework attributes', [finding('s3_bucket.missing_required_tags')], undefined, undefined],
    [
      'one finding with FSBP and CIS',
      [finding('s3_bucket.public_access_block_off', { fsbp: ['S3.8'], cis: ['2.1.4'] })],
      { DataType: 'String.Array', StringValue: '["fsbp","cis"]' },
      { DataType: 'String.Array', StringValue: '["FSBP S3.8","CIS 2.1.4"]' },
    ],
    [
      'several findings: each framework and control once, in the findings\' order',
      [
        finding('s3_bucket.public_policy', { fsbp: ['S3.2', 'S3.3'] }),
        finding('s3_bucket.missing_required_tags'),
        finding('s3_bucket.tls_not_enforced', { fsbp: ['S3.5'], cis: ['2.1.1'] }),
        finding('s3_bucket.public_acl', { fsbp: ['S3.2', 'S3.3'] }),
      ],
      { DataType: 'String.Array', StringValue: '["fsbp","cis"]' },
      { DataType: 'String.Array', StringValue: '["FSBP S3.2","FSBP S3.3","FSBP S3.5","CIS 2.1.1"]' },
    ],
    ['CIS only (the root user\'s MFA)', [finding('region.root_mfa_off', { cis: ['1.5'] })], { DataType: 'String.Array', StringValue: '["cis"]' }, { DataType: 'String.Array', StringValue: '["CIS 1.5"]' }],
  ])('%s', (_case, findings, frameworks, controls) => {
    const attributes = notificationAttributes(RESOURCE, findings, 'high');
    expect(attributes.severity).toEqual({ DataType: 'String', StringValue: 'high' });
    expect(attributes.type).toEqual({ DataType: 'String', StringValue: 's3_bucket' });
    expect(attributes.account).toEqual({ DataType: 'String', StringValue: '111111111111' });
    expect(attributes.frameworks).toEqual(frameworks);
    expect(attributes.controls).toEqual(controls);
  });
});
