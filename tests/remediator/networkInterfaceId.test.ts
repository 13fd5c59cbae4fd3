/**
 * AssociateAddress to a network interface: the translator sends the
 * interface id (its event names no instance); the remediator audits the
 * instance the interface is attached to, under the instance's id, so the
 * event path and the poller give the same finding ids.
 */
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GONE } from '../../auditors/contract.ts';
import { ec2Auditor } from '../../auditors/ec2Instance.ts';
import { ec2InstanceMaker } from '../../misconfiguration-maker/entries/ec2Instance.ts';
import { memoryLog } from '../../services/core/log.ts';
import type { ResourceMessage } from '../../services/core/message.ts';
import { auditResource, type AuditOutcome } from '../../services/remediator/auditResource.ts';
import { RemediationBudget } from '../../services/remediator/remediationBudget.ts';
import { ACCOUNT, NOW, REGION, awsError, makeConfig, makeResourceContext } from '../helpers/context.ts';
import { sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { makerContext } from '../maker/makerHarness.ts';
import { makeBrake } from '../helpers/brake.ts';

function findingsOf(outcome: AuditOutcome): { findingId: string; checkId: string; id: string }[] {
  if (outcome.status !== 'audited') throw new Error(`expected audited, got ${outcome.status}`);
  return outcome.findings.map(({ findingId, checkId, id }) => ({ findingId, checkId, id })).sort((a, b) => a.checkId.localeCompare(b.checkId));
}

describe('an ec2 message naming a network interface is audited as its instance', () => {
  it('on the sandbox: the same findings, finding ids and id as the instance itself', async () => {
    const organization = sandboxOrganization();
    const config = makeConfig({ devAccounts: [ACCOUNT] });
    const [instanceId = ''] = await ec2InstanceMaker.create(makerContext(organization, config));
    const { Reservations } = await organization.clients().get(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const interfaceId = Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.[0]?.NetworkInterfaceId ?? '';
    expect(interfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    const run = { config, factory: organization.factory, trustedAccounts: new Set([ACCOUNT]), budget: new RemediationBudget(10), brake: makeBrake(organization.factory, memoryLog()), log: memoryLog(), now: NOW };
    const audit = (id: string) => auditResource({ account: ACCOUNT, region: REGION, type: 'ec2', id } satisfies ResourceMessage, run);

    const byInstance = findingsOf(await audit(instanceId));
    const byInterface = findingsOf(await audit(interfaceId));

    expect(byInstance.length).toBeGreaterThan(0);
    expect(byInterface).toEqual(byInstance);
    expect(byInterface.every((finding) => finding.id === instanceId)).toBe(true);
  });

  it('on the sandbox: an interface that does not exist is gone, not an error', async () => {
    const organization = sandboxOrganization();
    const run = { config: makeConfig(), factory: organization.factory, trustedAccounts: new Set([ACCOUNT]), budget: new RemediationBudget(10), brake: makeBrake(organization.factory, memoryLog()), log: memoryLog(), now: NOW };
    expect(await auditResource({ account: ACCOUNT, region: REGION, type: 'ec2', id: 'eni-0aa1b2c3d4e5f6002' }, run)).toEqual({ status: 'gone' });
  });
});

describe('ec2Auditor.canonicalId', () => {
  // Installed for this block only: the sandbox tests above answer through the real client.
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterEach(() => ec2.reset());
  afterAll(() => ec2.restore());
  const INTERFACE = 'eni-0aa1b2c3d4e5f6002';
  // DescribeNetworkInterfaces as EC2 answers it (trimmed): https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html
  const networkInterface = (attachment?: { InstanceId?: string; InstanceOwnerId: string }) => ({
    NetworkInterfaceId: INTERFACE,
    InterfaceType: 'interface' as const,
    Status: attachment ? ('in-use' as const) : ('available' as const),
    OwnerId: ACCOUNT,
    RequesterManaged: false,
    ...(attachment ? { Attachment: { AttachmentId: 'eni-attach-0f1e2d3c4b5a69788', DeviceIndex: 1, Status: 'attached' as const, ...attachment } } : {}),
  });

  it.each([
    ['attached to an instance: the instance', { NetworkInterfaces: [networkInterface({ InstanceId: 'i-0a1b2c3d4e5f60001', InstanceOwnerId: ACCOUNT })] }, 'i-0a1b2c3d4e5f60001'],
    ['detached (available): nothing to audit', { NetworkInterfaces: [networkInterface()] }, GONE],
    // A NAT gateway's or a Lambda function's interface: attached, but to no instance (InstanceOwnerId names the service).
    ['requester-managed, attached to no instance: nothing to audit', { NetworkInterfaces: [{ ...networkInterface({ InstanceOwnerId: 'amazon-aws' }), RequesterManaged: true }] }, GONE],
  ])('%s', async (_case, answer, expected) => {
    ec2.on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: [INTERFACE] }).resolves(answer);
    expect(await ec2Auditor.canonicalId(makeResourceContext(INTERFACE))).toBe(expected);
  });

  it('an interface deleted since the event is gone (InvalidNetworkInterfaceID.NotFound)', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(awsError('InvalidNetworkInterfaceID.NotFound', 400, `The networkInterface ID '${INTERFACE}' does not exist`));
    expect(await ec2Auditor.canonicalId(makeResourceContext(INTERFACE))).toBe(GONE);
  });

  it('throttling is an error, never a clean skip', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(awsError('RequestLimitExceeded', 503, 'Request limit exceeded.'));
    await expect(ec2Auditor.canonicalId(makeResourceContext(INTERFACE))).rejects.toThrow('Request limit exceeded.');
  });

  it('an instance id is kept as it is, without a call', async () => {
    expect(await ec2Auditor.canonicalId(makeResourceContext('i-0a1b2c3d4e5f60001'))).toBe('i-0a1b2c3d4e5f60001');
    expect(ec2.calls()).toHaveLength(0);
  });
});
