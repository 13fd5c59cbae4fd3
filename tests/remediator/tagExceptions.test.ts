/**
 * Resource tags reach the remediator's decisions: the exception tag (when
 * exceptionTagKey is set) excepts, the stack's own tag protects. Both still
 * report the finding.
 */
import { PutBucketAclCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../services/core/config.ts';
import { memoryLog } from '../../services/core/log.ts';
import { SERVICE_STACK_TAG } from '../../services/core/selfProtection.ts';
import { auditResource } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { ALL_USERS_READ, OWNER_GRANT } from '../fixtures/s3.ts';
import { ACCOUNT, NOW, REGION, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3 } from '../helpers/fakeS3.ts';
import { makeBrake } from '../helpers/brake.ts';

const BUCKET = 'marketing-site-prod';
let s3: AwsClientStub<S3Client> | undefined;
afterEach(() => s3?.restore());

async function publicAclFinding(tags: { Key: string; Value: string }[], overrides: Partial<ConfigInput>) {
  s3 = fakeS3({ [BUCKET]: { ...compliantBucket(BUCKET), grants: [OWNER_GRANT, ALL_USERS_READ], tags } }).mock;
  const factory = makeFactory();
  const run = { config: makeConfig({ remediate: true, ...overrides }), factory, trustedAccounts: new Set([ACCOUNT]), budget: new RemediationBudget(10), brake: makeBrake(factory, memoryLog()), log: memoryLog(), now: NOW };
  const outcome = await auditResource({ account: ACCOUNT, region: REGION, type: 's3_bucket', id: BUCKET }, run);
  if (outcome.status !== 'audited') throw new Error(`expected audited, got ${outcome.status}`);
  const finding = outcome.findings.find((f) => f.checkId === 's3_bucket.public_acl');
  return { remediation: finding?.remediation, detail: finding?.remediationDetail, aclWrites: s3.commandCalls(PutBucketAclCommand).length };
}

describe('tags in remediation decisions', () => {
  it.each([
    ['the exception tag naming the check, with exceptionTagKey set', [{ Key: 'compliance-exception', Value: 's3_bucket.public_acl' }], { exceptionTagKey: 'compliance-exception' }, { remediation: 'excepted', detail: 'tagged compliance-exception=s3_bucket.public_acl', aclWrites: 0 }],
    ['the exception tag without exceptionTagKey (off by default)', [{ Key: 'compliance-exception', Value: '*' }], {}, { remediation: 'applied', detail: 'fixed', aclWrites: 1 }],
    ['the exception tag naming another check', [{ Key: 'compliance-exception', Value: 's3_bucket.public_policy' }], { exceptionTagKey: 'compliance-exception' }, { remediation: 'applied', detail: 'fixed', aclWrites: 1 }],
    ["the service stack's own tag", [{ Key: SERVICE_STACK_TAG.key, Value: SERVICE_STACK_TAG.value }], {}, { remediation: 'protected', detail: `carries the service's own tag ${SERVICE_STACK_TAG.key}`, aclWrites: 0 }],
  ])('%s', async (_case, tags, overrides, expected) => {
    expect(await publicAclFinding(tags, overrides)).toEqual(expected);
  });
});
