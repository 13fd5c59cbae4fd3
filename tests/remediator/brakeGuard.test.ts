import { GetBucketAclCommand, GetBucketPolicyCommand, PutBucketAclCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { isReadOnlyCommand } from '../../services/core/commandKind.ts';
import { memoryLog } from '../../services/core/log.ts';
import { auditResource, type AuditRun } from '../../services/remediator/auditResource.ts';
import type { BrakeStore } from '../../services/remediator/brakeStore.ts';
import { MemoryBrakeStore } from '../../services/remediator/memoryBrakeStore.ts';
import { BrakeEngaged, MutationGuard } from '../../services/remediator/mutationGuard.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { ALL_USERS_READ, OWNER, OWNER_GRANT } from '../fixtures/s3.ts';
import { makeBrake } from '../helpers/brake.ts';
import { ACCOUNT, NOW, REGION, makeConfig, makeFactory } from '../helpers/context.ts';
import { compliantBucket, fakeS3 } from '../helpers/fakeS3.ts';

describe('isReadOnlyCommand', () => {
  it.each([
    ['GetBucketAclCommand', true],
    ['DescribeInstances', true],
    ['ListAccountsCommand', true],
    ['HeadBucketCommand', true],
    ['BatchGetItemCommand', true],
    ['LookupEventsCommand', true],
    ['PutBucketAclCommand', false],
    ['DeleteBucketPolicy', false],
    ['ModifyImageAttributeCommand', false],
    ['UpdateAssumeRolePolicyCommand', false],
    ['RevokeSecurityGroupIngressCommand', false],
    ['StopInstancesCommand', false],
  ])('%s -> %s', (name, readOnly) => {
    expect(isReadOnlyCommand(name)).toBe(readOnly);
  });
});

describe('MutationGuard', () => {
  let s3: ReturnType<typeof fakeS3>['mock'];
  beforeEach(() => {
    s3 = fakeS3({ 'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] } }).mock;
  });
  const client = (guard: MutationGuard): S3Client => guard.clients(makeFactory().forAccount(ACCOUNT, REGION)).get(S3Client);
  const counted = (answer: string | undefined = undefined) => {
    const asked = { count: 0 };
    return { asked, allowance: () => { asked.count += 1; return Promise.resolve(answer); } };
  };
  const putAcl = new PutBucketAclCommand({ Bucket: 'public-assets', AccessControlPolicy: { Owner: OWNER, Grants: [OWNER_GRANT] } });
  const putBlock = new PutPublicAccessBlockCommand({ Bucket: 'public-assets', PublicAccessBlockConfiguration: { BlockPublicAcls: true } });

  it('a remediation that only reads costs nothing', async () => {
    const { asked, allowance } = counted();
    const guard = new MutationGuard(allowance);
    const outcome = await guard.run(async () => (await client(guard).send(new GetBucketAclCommand({ Bucket: 'public-assets' }))).Grants?.length);
    expect(outcome).toEqual({ status: 'done', result: 2 });
    expect(asked.count).toBe(0);
  });

  it('a remediation with two mutating calls costs one', async () => {
    const { asked, allowance } = counted();
    const guard = new MutationGuard(allowance);
    await guard.run(async () => {
      await client(guard).send(putAcl);
      await client(guard).send(putBlock);
    });
    expect(asked.count).toBe(1);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
  });

  it('two concurrent mutating calls ask once', async () => {
    const { asked, allowance } = counted();
    const guard = new MutationGuard(allowance);
    await guard.run(() => Promise.all([client(guard).send(putAcl), client(guard).send(putBlock)]));
    expect(asked.count).toBe(1);
  });

  it('each remediation run asks anew', async () => {
    const { asked, allowance } = counted();
    const guard = new MutationGuard(allowance);
    await guard.run(() => client(guard).send(putAcl));
    await guard.run(() => client(guard).send(putAcl));
    expect(asked.count).toBe(2);
  });

  it('refused: held with the reason, and no mutating call is sent (the reads are)', async () => {
    const guard = new MutationGuard(counted('cap of 1 remediations per run reached').allowance);
    const outcome = await guard.run(async () => {
      await client(guard).send(new GetBucketAclCommand({ Bucket: 'public-assets' }));
      await client(guard).send(putAcl);
      return 'applied';
    });
    expect(outcome).toEqual({ status: 'held', reason: 'cap of 1 remediations per run reached' });
    expect(s3.commandCalls(GetBucketAclCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
  });

  it('a remediation that swallows BrakeEngaged is still held, and its later writes are refused too', async () => {
    const guard = new MutationGuard(counted('no budget').allowance);
    const outcome = await guard.run(async () => {
      await client(guard).send(putAcl).catch((error: unknown) => (error instanceof BrakeEngaged ? undefined : Promise.reject(error)));
      await client(guard).send(putBlock).catch(() => undefined);
      return 'applied';
    });
    expect(outcome).toEqual({ status: 'held', reason: 'no budget' });
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it("an allowed remediation's own error is rethrown", async () => {
    const guard = new MutationGuard(counted().allowance);
    await expect(guard.run(() => client(guard).send(new PutBucketPolicyCommand({ Bucket: 'deleted-yesterday', Policy: '{}' })))).rejects.toThrow('The specified bucket does not exist');
  });

  it('not armed (the audit itself): nothing is asked', async () => {
    const { asked, allowance } = counted();
    const guard = new MutationGuard(allowance);
    await client(guard).send(putAcl);
    expect(asked.count).toBe(0);
  });
});

describe('auditResource: the caps are taken at the first mutating call', () => {
  /** A store that records how many takes it was asked for. */
  class CountingStore implements BrakeStore {
    readonly inner = new MemoryBrakeStore();
    takes = 0;
    take(window: string, limit: number): Promise<boolean> {
      this.takes += 1;
      return this.inner.take(window, limit);
    }
    claimAlarm(window: string): Promise<boolean> {
      return this.inner.claimAlarm(window);
    }
  }

  function runWith(options: { perRun?: number; perHour?: number } = {}): { run: AuditRun; store: CountingStore } {
    const factory = makeFactory();
    const log = memoryLog();
    const store = new CountingStore();
    const config = makeConfig({ remediate: true });
    const run: AuditRun = {
      config,
      factory,
      trustedAccounts: new Set([ACCOUNT]),
      budget: new RemediationBudget(options.perRun ?? 10),
      brake: makeBrake(factory, log, { store, limit: options.perHour ?? 50 }),
      log,
      now: NOW,
    };
    return { run, store };
  }
  const aclFinding = async (run: AuditRun) => {
    const outcome = await auditResource({ account: ACCOUNT, region: REGION, type: 's3_bucket', id: 'public-assets' }, run);
    if (outcome.status !== 'audited') throw new Error(`unexpected ${outcome.status}`);
    return outcome.findings.find((f) => f.checkId === 's3_bucket.public_acl');
  };

  it('a bucket fixed between the audit and the remediation: already_compliant, and neither budget is touched', async () => {
    const s3 = fakeS3({ 'public-assets': compliantBucket('public-assets') }).mock;
    // The audit reads the public grant; by the remediation's re-read someone has removed it.
    s3.on(GetBucketAclCommand).resolvesOnce({ Owner: OWNER, Grants: [OWNER_GRANT, ALL_USERS_READ] }).resolves({ Owner: OWNER, Grants: [OWNER_GRANT] });
    const { run, store } = runWith();
    expect((await aclFinding(run))?.remediation).toBe('already_compliant');
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(run.budget.remaining).toBe(10);
    expect(store.takes).toBe(0);
  });

  it('an applied remediation takes one from each', async () => {
    fakeS3({ 'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] } });
    const { run, store } = runWith();
    expect((await aclFinding(run))?.remediation).toBe('applied');
    expect(run.budget.remaining).toBe(9);
    expect(store.takes).toBe(1);
  });

  it("the hourly brake refuses: planned with its reason, nothing written, and the run's budget given back", async () => {
    const s3 = fakeS3({ 'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] } }).mock;
    const { run } = runWith({ perHour: 0 });
    const finding = await aclFinding(run);
    expect(finding).toMatchObject({ remediation: 'planned', remediationDetail: 'organization-wide cap of 0 remediations per hour reached; resumes at 13:00 UTC' });
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(run.budget.remaining).toBe(10);
  });

  it("the run's cap refuses first: planned with its reason, the hourly brake not asked", async () => {
    const s3 = fakeS3({ 'public-assets': { ...compliantBucket('public-assets'), grants: [OWNER_GRANT, ALL_USERS_READ] } }).mock;
    const { run, store } = runWith({ perRun: 0 });
    expect(await aclFinding(run)).toMatchObject({ remediation: 'planned', remediationDetail: 'cap of 0 remediations per run reached' });
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(store.takes).toBe(0);
  });

  it('a policy that is already gone by the re-read costs nothing', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-assets/*' }] });
    const s3 = fakeS3({ 'public-assets': compliantBucket('public-assets') }).mock;
    s3.on(GetBucketPolicyCommand).resolvesOnce({ Policy: policy }).resolves({ Policy: compliantBucket('public-assets').policy ?? '' });
    const { run, store } = runWith();
    const outcome = await auditResource({ account: ACCOUNT, region: REGION, type: 's3_bucket', id: 'public-assets' }, run);
    if (outcome.status !== 'audited') throw new Error(`unexpected ${outcome.status}`);
    expect(outcome.findings.find((f) => f.checkId === 's3_bucket.public_policy')?.remediation).toBe('already_compliant');
    expect(store.takes).toBe(0);
  });
});
