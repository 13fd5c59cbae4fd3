/**
 * A sandbox organization behind a factory that assumes member roles for
 * real (through the sandbox's STS AssumeRole) instead of skipping them as an
 * interceptor does, counting each AssumeRole the sandbox answers. The
 * security account's own clients reach the sandbox for what it answers for
 * them (Organizations, STS GetCallerIdentity...); the others (SQS, SNS) are
 * left to the test's mocks.
 */
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import type { SandboxService } from '../../sandbox/serviceModel.ts';
import { SANDBOX_SERVICES } from '../../sandbox/services/index.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';

export interface AssumingSandbox {
  sandbox: Sandbox;
  factory: ClientFactory;
  /** `account/stsRegion` of every AssumeRole the sandbox answered, in order. */
  assumeRoles: string[];
  /** Every client the factory made for a member account (STS clients included): `account/region/serviceId`. */
  clientsMade: string[];
  createBucket(account: string, region: string, name: string): Promise<void>;
}

export function assumingSandbox(accounts: readonly string[], regions: readonly string[], homeRegion: string): AssumingSandbox {
  const assumeRoles: string[] = [];
  const clientsMade: string[] = [];
  const services: SandboxService[] = SANDBOX_SERVICES.map((service) => {
    const assumeRole = service.operations.AssumeRole;
    if (service.serviceId !== 'STS' || !assumeRole) return service;
    return {
      ...service,
      operations: {
        ...service.operations,
        AssumeRole: (context, input) => {
          assumeRoles.push(`${context.account}/${context.region}`);
          return assumeRole(context, input);
        },
      },
    };
  });
  const sandbox = new Sandbox(createSandboxState({ accounts, regions }), {}, services);
  const factory = new ClientFactory({
    memberRoleName: 'ComplianceAuditorMemberRole',
    externalId: 'sandbox-external-id',
    assumeRole: true,
    homeRegion,
    env: {},
    instrument: (client, account, region) => {
      if (account === 'self') {
        sandbox.attach(client, account, region);
        return;
      }
      clientsMade.push(`${account}/${region}/${(client as { config?: { serviceId?: string } }).config?.serviceId ?? '?'}`);
      sandbox.attach(client, account, region);
    },
  });
  const seeder = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: sandbox, env: {} });
  return {
    sandbox,
    factory,
    assumeRoles,
    clientsMade,
    async createBucket(account, region, name) {
      const s3 = seeder.forAccount(account, region).get(S3Client);
      await s3.send(new CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }) }));
    },
  };
}
