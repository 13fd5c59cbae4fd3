import { describe, expect, it } from 'vitest';
import { AUDITORS } from '../../auditors/registry.ts';
import { validateResourceMessage } from '../../services/core/message.ts';
import type { ResourceType } from '../../services/core/resourceTypes.ts';
import { translateEvent, type CloudTrailEvent, type TranslatedMessage } from '../../services/event-translator/translateEvent.ts';
import { buildTriggerTable, triggeredEvents } from '../../services/event-translator/triggerTable.ts';
import * as ec2 from '../fixtures/cloudtrail/ec2.ts';
import * as efs from '../fixtures/cloudtrail/efs.ts';
import * as eks from '../fixtures/cloudtrail/eks.ts';
import * as es from '../fixtures/cloudtrail/es.ts';
import * as auditmanager from '../fixtures/cloudtrail/auditmanager.ts';
import * as cloudtrail from '../fixtures/cloudtrail/cloudtrail.ts';
import * as config from '../fixtures/cloudtrail/config.ts';
import * as ecs from '../fixtures/cloudtrail/ecs.ts';
import * as elb from '../fixtures/cloudtrail/elasticloadbalancing.ts';
import { MEMBER_ACCOUNT, type CloudTrailApiCallEvent } from '../fixtures/cloudtrail/envelope.ts';
import * as guardduty from '../fixtures/cloudtrail/guardduty.ts';
import * as iam from '../fixtures/cloudtrail/iam.ts';
import { TRIGGER_FIXTURES, fixtureKey } from '../fixtures/cloudtrail/index.ts';
import * as inspector2 from '../fixtures/cloudtrail/inspector2.ts';
import * as lambda from '../fixtures/cloudtrail/lambda.ts';
import * as macie2 from '../fixtures/cloudtrail/macie2.ts';
import * as rds from '../fixtures/cloudtrail/rds.ts';
import * as redshift from '../fixtures/cloudtrail/redshift.ts';
import * as s3 from '../fixtures/cloudtrail/s3.ts';
import * as securityhub from '../fixtures/cloudtrail/securityhub.ts';
import * as dynamodb from '../fixtures/cloudtrail/dynamodb.ts';
import * as ecr from '../fixtures/cloudtrail/ecr.ts';
import * as sns from '../fixtures/cloudtrail/sns.ts';
import * as sqs from '../fixtures/cloudtrail/sqs.ts';
import * as kms from '../fixtures/cloudtrail/kms.ts';
import * as secretsmanager from '../fixtures/cloudtrail/secretsmanager.ts';
import * as ssm from '../fixtures/cloudtrail/ssm.ts';

const table = buildTriggerTable(AUDITORS);
/** Slow resources (RDS, Redshift) are audited this long after their creation event. */
const CREATION_DELAY = 600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function message(type: ResourceType, id: string, region = 'us-east-1', delaySeconds?: number): TranslatedMessage {
  return { message: { account: MEMBER_ACCOUNT, region, type, id }, ...(delaySeconds ? { delaySeconds } : {}) };
}

/** A fixture changed in one place, the rest as CloudTrail wrote it. */
function variant(event: CloudTrailApiCallEvent, change: (copy: CloudTrailApiCallEvent) => void): CloudTrailApiCallEvent {
  const copy = structuredClone(event);
  change(copy);
  return copy;
}

/** The same fixture with fields that its type says cannot be there (parsed JSON can hold anything). */
function malformed(event: CloudTrailApiCallEvent, change: (copy: Record<string, unknown> & { detail: Record<string, unknown> }) => void): CloudTrailEvent {
  const copy = structuredClone(event) as unknown as Record<string, unknown> & { detail: Record<string, unknown> };
  change(copy);
  return copy as CloudTrailEvent;
}

const LOAD_BALANCER_ARN = `arn:aws:elasticloadbalancing:us-east-1:${MEMBER_ACCOUNT}:loadbalancer/app/public-web/50dc6c495c0c9188`;

/** Each fixture and exactly the messages it must produce. */
const EXPECTED: { event: CloudTrailApiCallEvent; messages: TranslatedMessage[] }[] = [
  { event: s3.createBucket, messages: [message('s3_bucket', 'payroll-exports-eu', 'eu-west-1')] },
  { event: s3.putBucketPolicy, messages: [message('s3_bucket', 'marketing-site-assets')] },
  { event: s3.putBucketAcl, messages: [message('s3_bucket', 'marketing-site-assets')] },
  { event: s3.putBucketPublicAccessBlock, messages: [message('s3_bucket', 'marketing-site-assets')] },
  { event: s3.deleteBucketPublicAccessBlock, messages: [message('s3_bucket', 'legacy-uploads')] },
  {
    event: ec2.runInstances,
    messages: [message('ec2', 'i-0a1b2c3d4e5f60001'), message('ec2', 'i-0a1b2c3d4e5f60002'), message('ec2', 'i-0a1b2c3d4e5f60003')],
  },
  { event: ec2.startInstances, messages: [message('ec2', 'i-07f3e2d1c0b9a8877', 'eu-west-1'), message('ec2', 'i-07f3e2d1c0b9a8878', 'eu-west-1')] },
  { event: ec2.associateAddress, messages: [message('ec2', 'i-0a1b2c3d4e5f60001')] },
  { event: ec2.modifyInstanceMetadataOptions, messages: [message('ec2', 'i-0a1b2c3d4e5f60002')] },
  { event: ec2.modifyImageAttribute, messages: [message('ami', 'ami-0c55b159cbfafe1f0', 'us-west-2')] },
  { event: ec2.modifySnapshotAttribute, messages: [message('ebs_snapshot', 'snap-041993b54a9b3af6f', 'us-west-2')] },
  { event: ec2.createVolume, messages: [message('ebs_volume', 'vol-0c5a8e7f3d2b19046')] },
  { event: ec2.attachVolume, messages: [message('ebs_volume', 'vol-0c5a8e7f3d2b19046')] },
  { event: ec2.createSecurityGroup, messages: [message('security_group', 'sg-0123456789abcdef0')] },
  { event: ec2.authorizeSecurityGroupIngress, messages: [message('security_group', 'sg-0123456789abcdef0')] },
  { event: ec2.authorizeSecurityGroupEgress, messages: [message('security_group', 'sg-0d1e2f3a4b5c6d7e8')] },
  { event: ec2.modifySecurityGroupRules, messages: [message('security_group', 'sg-0123456789abcdef0')] },
  { event: rds.createDBInstance, messages: [message('rds', 'orders-db', 'us-east-1', CREATION_DELAY)] },
  { event: rds.createDBInstanceReadReplica, messages: [message('rds', 'orders-db-replica-1', 'us-east-1', CREATION_DELAY)] },
  { event: rds.restoreDBInstanceFromDBSnapshot, messages: [message('rds', 'orders-db-restore-test', 'us-east-1', CREATION_DELAY)] },
  { event: rds.modifyDBInstance, messages: [message('rds', 'orders-db')] },
  { event: rds.createDBCluster, messages: [message('rds', 'ledger-aurora', 'us-east-1', CREATION_DELAY)] },
  { event: rds.restoreDBClusterFromSnapshot, messages: [message('rds', 'ledger-aurora-restore', 'us-east-1', CREATION_DELAY)] },
  { event: rds.modifyDBCluster, messages: [message('rds', 'ledger-aurora')] },
  { event: rds.modifyDBSnapshotAttribute, messages: [message('rds_snapshot', 'orders-db-2026-11-19')] },
  { event: rds.modifyDBClusterSnapshotAttribute, messages: [message('rds_snapshot', 'ledger-aurora-2026-11-19')] },
  { event: redshift.createCluster, messages: [message('redshift', 'analytics-warehouse', 'us-east-1', CREATION_DELAY)] },
  { event: redshift.modifyCluster, messages: [message('redshift', 'analytics-warehouse')] },
  { event: redshift.restoreFromClusterSnapshot, messages: [message('redshift', 'analytics-warehouse-restore', 'us-east-1', CREATION_DELAY)] },
  { event: sqs.createQueue, messages: [message('sqs', `https://sqs.us-east-1.amazonaws.com/${MEMBER_ACCOUNT}/orders-events`)] },
  { event: sqs.setQueueAttributes, messages: [message('sqs', `https://sqs.us-east-1.amazonaws.com/${MEMBER_ACCOUNT}/orders-events`)] },
  { event: sqs.addPermission, messages: [message('sqs', `https://sqs.us-east-1.amazonaws.com/${MEMBER_ACCOUNT}/orders-events`)] },
  { event: sns.createTopic, messages: [message('sns_topic', sns.ORDER_EVENTS_TOPIC_ARN)] },
  { event: sns.setTopicAttributes, messages: [message('sns_topic', sns.ORDER_EVENTS_TOPIC_ARN)] },
  { event: sns.addPermission, messages: [message('sns_topic', sns.ORDER_EVENTS_TOPIC_ARN)] },
  { event: ecr.createRepository, messages: [message('ecr_repository', ecr.REPOSITORY_NAME)] },
  { event: ecr.setRepositoryPolicy, messages: [message('ecr_repository', ecr.REPOSITORY_NAME)] },
  { event: ecr.putImageScanningConfiguration, messages: [message('ecr_repository', ecr.REPOSITORY_NAME)] },
  { event: ecr.putImageTagMutability, messages: [message('ecr_repository', ecr.REPOSITORY_NAME)] },
  { event: dynamodb.createTable, messages: [message('dynamodb_table', dynamodb.TABLE_NAME, 'us-east-1', 60)] },
  { event: dynamodb.updateTable, messages: [message('dynamodb_table', dynamodb.TABLE_NAME)] },
  { event: dynamodb.updateContinuousBackups, messages: [message('dynamodb_table', dynamodb.TABLE_NAME)] },
  { event: dynamodb.putResourcePolicy, messages: [message('dynamodb_table', dynamodb.TABLE_NAME)] },
  { event: iam.createRole, messages: [message('iam_role', 'vendor-readonly')] },
  { event: iam.updateAssumeRolePolicy, messages: [message('iam_role', 'ci-deployer')] },
  { event: iam.createLoginProfile, messages: [message('iam_user', 'build-bot')] },
  // root MFA is a region-auditor control too: one message for each auditor
  { event: iam.deactivateMFADevice, messages: [message('region', ''), message('iam_user', 'alice')] },
  { event: iam.createAccessKey, messages: [message('iam_user', 'build-bot')] },
  { event: iam.updateAccessKey, messages: [message('iam_user', 'build-bot')] },
  { event: iam.attachUserPolicy, messages: [message('iam_user', 'build-bot')] },
  { event: iam.attachRolePolicy, messages: [message('iam_role', 'ci-deployer')] },
  { event: lambda.addPermission20150331v2, messages: [message('lambda_function', 'invoice-renderer')] },
  { event: lambda.createFunction20150331, messages: [message('lambda_function', 'invoice-renderer')] },
  { event: lambda.createFunctionUrlConfig20211031, messages: [message('lambda_function', 'invoice-renderer')] },
  { event: lambda.updateFunctionUrlConfig20211031, messages: [message('lambda_function', 'invoice-renderer')] },
  { event: elb.createClassicLoadBalancer, messages: [message('elb', 'legacy-web')] },
  { event: elb.registerInstancesWithLoadBalancer, messages: [message('elb', 'legacy-web')] },
  // ModifyLoadBalancerAttributes: one name for both kinds; the request's loadBalancerName or loadBalancerArn says which
  { event: elb.modifyClassicLoadBalancerAttributes, messages: [message('elb', 'legacy-web')] },
  { event: elb.createClassicLoadBalancerListeners, messages: [message('elb', 'legacy-web')] },
  {
    event: elb.registerTargets,
    messages: [message('elbv2', `arn:aws:elasticloadbalancing:us-east-1:${MEMBER_ACCOUNT}:targetgroup/web-instances/73e2d6bc24d8a067`)],
  },
  { event: elb.createListener, messages: [message('elbv2', LOAD_BALANCER_ARN)] },
  { event: elb.modifyListener, messages: [message('elbv2', LOAD_BALANCER_ARN)] },
  { event: kms.createKey, messages: [message('kms_key', kms.ORDERS_KEY_ID)] },
  // The key ARN the caller gave is audited as the key id the poller lists.
  { event: kms.putKeyPolicy, messages: [message('kms_key', kms.ORDERS_KEY_ID)] },
  { event: kms.enableKeyRotation, messages: [message('kms_key', kms.ORDERS_KEY_ID)] },
  { event: kms.disableKeyRotation, messages: [message('kms_key', kms.ORDERS_KEY_ID)] },
  { event: kms.scheduleKeyDeletion, messages: [message('kms_key', kms.ORDERS_KEY_ID)] },
  // A secret named by its name in the request is audited under the ARN of the response.
  { event: secretsmanager.createSecret, messages: [message('secret', secretsmanager.ORDERS_SECRET_ARN)] },
  { event: secretsmanager.putResourcePolicy, messages: [message('secret', secretsmanager.ORDERS_SECRET_ARN)] },
  { event: secretsmanager.rotateSecret, messages: [message('secret', secretsmanager.ORDERS_SECRET_ARN)] },
  { event: secretsmanager.cancelRotateSecret, messages: [message('secret', secretsmanager.ORDERS_SECRET_ARN)] },
  { event: efs.createFileSystem, messages: [message('efs_file_system', efs.FILE_SYSTEM_ID)] },
  { event: efs.putFileSystemPolicy, messages: [message('efs_file_system', efs.FILE_SYSTEM_ID)] },
  { event: es.createDomain, messages: [message('opensearch_domain', es.DOMAIN_NAME)] },
  { event: es.updateDomainConfig, messages: [message('opensearch_domain', es.DOMAIN_NAME)] },
  { event: es.createElasticsearchDomain, messages: [message('opensearch_domain', 'legacy-logs', 'eu-west-1')] },
  { event: es.updateElasticsearchDomainConfig, messages: [message('opensearch_domain', 'legacy-logs', 'eu-west-1')] },
  { event: cloudtrail.createTrail, messages: [message('cloudtrail_trail', 'team-trail')] },
  { event: ssm.createDocument, messages: [message('ssm_document', ssm.RESTART_DOCUMENT)] },
  { event: ssm.modifyDocumentPermission, messages: [message('ssm_document', ssm.RESTART_DOCUMENT)] },
  // a task definition family, named as family, family:revision or ARN: its latest ACTIVE revision is audited
  { event: ecs.registerTaskDefinition, messages: [message('ecs_task_definition', 'billing-api')] },
  { event: ecs.deregisterTaskDefinition, messages: [message('ecs_task_definition', 'billing-api')] },
  { event: ecs.runTask, messages: [message('ecs_task_definition', 'billing-api')] },
  { event: ecs.createService, messages: [message('ecs_task_definition', 'billing-api')] },
  { event: ecs.updateService, messages: [message('ecs_task_definition', 'billing-api')] },
  { event: eks.createCluster, messages: [message('eks_cluster', eks.CLUSTER_NAME, 'us-east-1', 600)] },
  { event: eks.updateClusterConfig, messages: [message('eks_cluster', eks.CLUSTER_NAME)] },
  // the region auditor: the (account, region) the call was made in, id ""
  { event: guardduty.deleteDetector, messages: [message('region', '', 'eu-west-1')] },
  { event: guardduty.updateDetector, messages: [message('region', '', 'eu-west-1')] },
  { event: guardduty.disassociateFromAdministratorAccount, messages: [message('region', '')] },
  { event: guardduty.disassociateFromMasterAccount, messages: [message('region', '', 'us-east-2')] },
  { event: config.stopConfigurationRecorder, messages: [message('region', '', 'eu-west-1')] },
  { event: config.deleteConfigurationRecorder, messages: [message('region', '', 'eu-west-1')] },
  { event: config.deleteDeliveryChannel, messages: [message('region', '', 'eu-west-1')] },
  { event: cloudtrail.stopLogging, messages: [message('region', '')] },
  { event: cloudtrail.deleteTrail, messages: [message('region', '')] },
  // the region auditor's control and the trail itself
  { event: cloudtrail.updateTrail, messages: [message('region', ''), message('cloudtrail_trail', 'management-events')] },
  { event: ec2.deleteFlowLogs, messages: [message('region', '', 'eu-west-1')] },
  { event: ec2.createVpc, messages: [message('region', '', 'eu-west-1')] },
  { event: ec2.disableEbsEncryptionByDefault, messages: [message('region', '', 'eu-west-1')] },
  { event: securityhub.disableSecurityHub, messages: [message('region', '', 'eu-west-1')] },
  { event: securityhub.batchDisableStandards, messages: [message('region', '', 'eu-west-1')] },
  { event: macie2.disableMacie, messages: [message('region', '')] },
  { event: macie2.updateMacieSession, messages: [message('region', '')] },
  { event: inspector2.disable, messages: [message('region', '')] },
  { event: auditmanager.deregisterAccount, messages: [message('region', '')] },
  { event: iam.deleteVirtualMFADevice, messages: [message('region', '')] },
  { event: iam.deleteAccountPasswordPolicy, messages: [message('region', '')] },
  { event: iam.updateAccountPasswordPolicy, messages: [message('region', '')] },
  { event: s3.putAccountPublicAccessBlock, messages: [message('region', '')] },
  { event: s3.deleteAccountPublicAccessBlock, messages: [message('region', '')] },
];

function registryEventKeys(): string[] {
  return [...triggeredEvents(AUDITORS)].flatMap(([source, names]) => names.map((name) => `${source} ${name}`));
}

describe('CloudTrail fixtures', () => {
  it('there is exactly one fixture for every (eventSource, eventName) a registered auditor declares', () => {
    const keys = TRIGGER_FIXTURES.map(fixtureKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(registryEventKeys().sort());
  });

  it('the expectations below cover every fixture', () => {
    expect(EXPECTED.map((row) => row.event)).toEqual(expect.arrayContaining([...TRIGGER_FIXTURES]));
    expect(EXPECTED).toHaveLength(TRIGGER_FIXTURES.length);
  });

  it.each(TRIGGER_FIXTURES.map((event) => ({ name: fixtureKey(event), event })))('$name is a complete EventBridge envelope', ({ event }) => {
    expect(event.version).toBe('0');
    expect(event.id).toMatch(UUID);
    expect(event.detail.eventID).toMatch(UUID);
    expect(event['detail-type']).toBe('AWS API Call via CloudTrail');
    expect(event.source).toBe(`aws.${event.detail.eventSource.split('.')[0]}`);
    expect(event.account).toMatch(/^\d{12}$/);
    expect(event.detail.recipientAccountId).toBe(event.account);
    expect(event.region).toBe(event.detail.awsRegion);
    expect(event.time).toBe(event.detail.eventTime);
    expect(new Date(event.time).toISOString()).toBe(event.time.replace('Z', '.000Z'));
    expect(event.resources).toEqual([]);
    expect(['1.08', '1.09']).toContain(event.detail.eventVersion);
    expect(event.detail).toMatchObject({ readOnly: false, eventType: 'AwsApiCall', managementEvent: true, eventCategory: 'Management' });
    expect(event.detail.userIdentity.accountId).toBe(event.account);
    expect(event.detail.tlsDetails.clientProvidedHostHeader).toMatch(/amazonaws\.com$/);
    expect(event.detail.errorCode).toBeUndefined();
  });
});

describe('translateEvent', () => {
  it.each(EXPECTED.map((row) => ({ name: fixtureKey(row.event), ...row })))('$name', ({ event, messages }) => {
    expect(translateEvent(event, table)).toStrictEqual({ status: 'messages', messages });
  });

  it.each(EXPECTED.map((row) => ({ name: fixtureKey(row.event), event: row.event })))('$name: every message passes the resource-message schema', ({ event }) => {
    const translation = translateEvent(event, table);
    if (translation.status !== 'messages') throw new Error(`expected messages, got: ${translation.reason}`);
    for (const { message: resource } of translation.messages) expect(validateResourceMessage(resource).message).toEqual(resource);
  });

  it('RunInstances with three instances gives three distinct messages, one per launched instance', () => {
    const translation = translateEvent(ec2.runInstances, table);
    if (translation.status !== 'messages') throw new Error(translation.reason);
    const launched = (ec2.runInstances.detail.responseElements?.instancesSet as { items: { instanceId: string }[] }).items.map((item) => item.instanceId);
    expect(launched).toHaveLength(3);
    expect(translation.messages.map((m) => m.message.id)).toEqual(launched);
    expect(new Set(translation.messages.map((m) => JSON.stringify(m.message))).size).toBe(3);
  });

  it("the root user's DeactivateMFADevice names no IAM user: only the region auditor's message", () => {
    expect(translateEvent(iam.deactivateRootMFADevice, table)).toStrictEqual({ status: 'messages', messages: [message('region', '')] });
  });

  it('a function named by its ARN (CloudFormation) is audited under the name the poller lists (one finding id for both paths)', () => {
    expect(translateEvent(lambda.addPermission20150331v2ByArn, table)).toStrictEqual({
      status: 'messages',
      messages: [message('lambda_function', 'invoice-renderer')],
    });
  });

  it('an EKS CreateCluster recorded with clusterName (the EKS user guide\'s example) names the cluster too', () => {
    expect(translateEvent(eks.createClusterAsDocumented, table)).toStrictEqual({ status: 'messages', messages: [message('eks_cluster', 'test', 'us-east-1', 600)] });
  });

  it('a file system named by its ARN is audited under the id the poller lists', () => {
    expect(translateEvent(efs.putFileSystemPolicyByArn, table)).toStrictEqual({ status: 'messages', messages: [message('efs_file_system', efs.FILE_SYSTEM_ID)] });
  });

  it('a trail named by its ARN (UpdateTrail) is audited under the name the poller lists', () => {
    expect(translateEvent(cloudtrail.updateTrailByArn, table)).toStrictEqual({
      status: 'messages',
      messages: [message('region', ''), message('cloudtrail_trail', 'management-events')],
    });
  });

  it('an UpdateService that names no task definition (a scale change) is skipped as not audited, with the reason', () => {
    expect(translateEvent(ecs.updateServiceDesiredCount, table)).toStrictEqual({
      status: 'skipped',
      reason: 'not audited: UpdateService names no task definition (a change of count or settings, or an EXTERNAL deployment controller)',
    });
  });

  it('ModifyLoadBalancerAttributes of an ALB (one event name for both kinds) audits the elbv2 load balancer its request names, not an elb', () => {
    expect(translateEvent(elb.modifyApplicationLoadBalancerAttributes, table)).toStrictEqual({ status: 'messages', messages: [message('elbv2', LOAD_BALANCER_ARN)] });
  });

  it('the same id twice in one event gives one message', () => {
    const twice = variant(ec2.startInstances, (copy) => {
      copy.detail.requestParameters = { instancesSet: { items: [{ instanceId: 'i-07f3e2d1c0b9a8877' }, { instanceId: 'i-07f3e2d1c0b9a8877' }] } };
    });
    expect(translateEvent(twice, table)).toStrictEqual({ status: 'messages', messages: [message('ec2', 'i-07f3e2d1c0b9a8877', 'eu-west-1')] });
  });

  describe('account and region', () => {
    it('the account is detail.recipientAccountId, the account that owns the resource, over the envelope account', () => {
      const crossAccount = variant(s3.putBucketPolicy, (copy) => {
        copy.account = '222222222222';
      });
      expect(translateEvent(crossAccount, table)).toStrictEqual({ status: 'messages', messages: [message('s3_bucket', 'marketing-site-assets')] });
    });

    it("falls back to the envelope's account when the detail has no recipientAccountId", () => {
      const noRecipient = malformed(s3.putBucketPolicy, (copy) => {
        copy.account = '222222222222';
        delete copy.detail.recipientAccountId;
      });
      expect(translateEvent(noRecipient, table)).toStrictEqual({
        status: 'messages',
        messages: [{ message: { account: '222222222222', region: 'us-east-1', type: 's3_bucket', id: 'marketing-site-assets' } }],
      });
    });

    it('the region is detail.awsRegion, where the call was made', () => {
      const elsewhere = variant(ec2.modifyImageAttribute, (copy) => {
        copy.region = 'us-east-1';
      });
      expect(translateEvent(elsewhere, table)).toStrictEqual({ status: 'messages', messages: [message('ami', 'ami-0c55b159cbfafe1f0', 'us-west-2')] });
    });
  });

  describe('skipped, with a reason', () => {
    it.each([
      { name: 'S3 PutBucketPolicy denied (AccessDenied)', event: s3.putBucketPolicyAccessDenied, reason: /call failed \(AccessDenied\)/ },
      { name: 'EC2 RunInstances denied (Client.UnauthorizedOperation)', event: ec2.runInstancesUnauthorized, reason: /call failed \(Client\.UnauthorizedOperation\)/ },
      {
        name: 'RDS CreateDBInstance refused by a quota',
        event: variant(rds.createDBInstance, (copy) => {
          copy.detail.errorCode = 'InstanceQuotaExceeded';
          copy.detail.errorMessage = 'DB Instance quota exceeded';
          copy.detail.responseElements = null;
        }),
        reason: /call failed \(InstanceQuotaExceeded\)/,
      },
    ])('a failed call: $name', ({ event, reason }) => {
      const translation = translateEvent(event, table);
      expect(translation.status).toBe('skipped');
      if (translation.status === 'skipped') expect(translation.reason).toMatch(reason);
    });

    it.each([
      { name: 'EC2 DescribeInstances', event: variant(ec2.startInstances, (copy) => void (copy.detail.eventName = 'DescribeInstances')), reason: 'no auditor is triggered by ec2.amazonaws.com DescribeInstances' },
      { name: 'S3 GetBucketAcl', event: variant(s3.putBucketAcl, (copy) => void (copy.detail.eventName = 'GetBucketAcl')), reason: 'no auditor is triggered by s3.amazonaws.com GetBucketAcl' },
      { name: 'ECS CreateCluster (named like Redshift CreateCluster)', event: ecs.ecsCreateCluster, reason: 'no auditor is triggered by ecs.amazonaws.com CreateCluster' },
      {
        name: 'Redshift ModifyCluster claimed by another source',
        event: variant(redshift.modifyCluster, (copy) => void (copy.detail.eventSource = 'cloudhsm.amazonaws.com')),
        reason: 'no auditor is triggered by cloudhsm.amazonaws.com ModifyCluster',
      },
    ])('an event no auditor is triggered by: $name', ({ event, reason }) => {
      expect(translateEvent(event, table)).toStrictEqual({ status: 'skipped', reason });
    });

    it('redshift CreateCluster is translated only from redshift.amazonaws.com', () => {
      expect(translateEvent(redshift.createCluster, table).status).toBe('messages');
      expect(translateEvent(ecs.ecsCreateCluster, table).status).toBe('skipped');
    });

    it.each([
      { name: 'not an object', event: null, reason: /not a JSON object/ },
      { name: 'no detail', event: malformed(s3.putBucketPolicy, (copy) => void delete (copy as Record<string, unknown>).detail), reason: /no detail/ },
      { name: 'detail null', event: malformed(s3.putBucketPolicy, (copy) => void ((copy as Record<string, unknown>).detail = null)), reason: /no detail/ },
      { name: 'detail a string', event: malformed(s3.putBucketPolicy, (copy) => void ((copy as Record<string, unknown>).detail = '{"eventName":"PutBucketPolicy"}')), reason: /no detail/ },
      { name: 'wrong detail-type (service event)', event: malformed(s3.putBucketPolicy, (copy) => void (copy['detail-type'] = 'AWS Service Event via CloudTrail')), reason: /not a CloudTrail API call: detail-type "AWS Service Event via CloudTrail"/ },
      { name: 'wrong detail-type (console sign-in)', event: malformed(iam.createRole, (copy) => void (copy['detail-type'] = 'AWS Console Sign In via CloudTrail')), reason: /not a CloudTrail API call/ },
      { name: 'no eventSource', event: malformed(s3.putBucketPolicy, (copy) => void delete copy.detail.eventSource), reason: /no eventSource or eventName/ },
      { name: 'eventName not a string', event: malformed(s3.putBucketPolicy, (copy) => void (copy.detail.eventName = 42)), reason: /no eventSource or eventName/ },
      { name: 'no id at the path (requestParameters null)', event: malformed(s3.putBucketPolicy, (copy) => void (copy.detail.requestParameters = null)), reason: /no id at requestParameters\.bucketName in PutBucketPolicy/ },
      { name: 'no id at the path (RunInstances without responseElements)', event: malformed(ec2.runInstances, (copy) => void (copy.detail.responseElements = null)), reason: /no id at responseElements\.instancesSet\.items\[\]\.instanceId/ },
      { name: 'id not a string', event: malformed(iam.createRole, (copy) => void (copy.detail.requestParameters = { roleName: 12345 })), reason: /no id at requestParameters\.roleName/ },
      { name: 'id empty', event: malformed(sqs.addPermission, (copy) => void (copy.detail.requestParameters = { queueUrl: '' })), reason: /no id at requestParameters\.queueUrl/ },
      { name: 'bad account (too short)', event: malformed(s3.putBucketPolicy, (copy) => void (copy.detail.recipientAccountId = '1234')), reason: /account "1234"/ },
      { name: 'bad account (a number, not a string)', event: malformed(s3.putBucketPolicy, (copy) => void (copy.detail.recipientAccountId = 111111111111)), reason: /account 111111111111/ },
      {
        name: 'no account anywhere',
        event: malformed(s3.putBucketPolicy, (copy) => {
          delete copy.detail.recipientAccountId;
          delete copy.account;
        }),
        reason: /account undefined/,
      },
      { name: 'unknown region', event: malformed(s3.putBucketPolicy, (copy) => void (copy.detail.awsRegion = 'mars-north-1')), reason: /region "mars-north-1"/ },
    ])('a malformed event: $name', ({ event, reason }) => {
      let translation: ReturnType<typeof translateEvent> | undefined;
      expect(() => {
        translation = translateEvent(event as CloudTrailEvent, table);
      }).not.toThrow();
      expect(translation?.status).toBe('skipped');
      if (translation?.status === 'skipped') expect(translation.reason).toMatch(reason);
    });
  });

  /**
   * What CloudTrail records that the declared id paths do not reach yet.
   * These pin today's behaviour; when the trigger changes, flip them.
   */
  describe('ids that only the response carries', () => {
    it('CreateAccessKey by an IAM user for itself: the user comes from responseElements.accessKey.userName', () => {
      expect(translateEvent(iam.createAccessKeyForCaller, table)).toStrictEqual({ status: 'messages', messages: [message('iam_user', 'report-exporter')] });
    });

    it("a function URL on an alias audits that alias (the qualifier is only in the response's functionArn)", () => {
      expect(translateEvent(lambda.createFunctionUrlConfigOnAlias, table)).toStrictEqual({ status: 'messages', messages: [message('lambda_function', 'invoice-renderer:live')] });
    });
  });
});

describe('translateEvent: account-level settings are audited in the home region', () => {
  const table = buildTriggerTable(AUDITORS);

  it('an IAM password-policy change recorded in us-east-1 is audited in the home region', () => {
    const event = iam.deleteAccountPasswordPolicy;
    const result = translateEvent(event, table, { homeRegion: 'eu-west-1' });
    expect(result).toStrictEqual({ status: 'messages', messages: [{ message: { account: event.detail?.recipientAccountId, region: 'eu-west-1', type: 'region', id: '' } }] });
  });

  it('a regional control change stays in its own region', () => {
    const event = ec2.disableEbsEncryptionByDefault;
    const result = translateEvent(event, table, { homeRegion: 'eu-west-1' });
    expect(result.status === 'messages' && result.messages.map((m) => m.message.region)).toEqual([event.detail?.awsRegion]);
  });
});

describe('translateEvent: IAM is global, so its events are audited in the home region, like the poller lists them', () => {
  const HOME = 'eu-west-1';
  const homeMessage = (type: ResourceType, id: string): TranslatedMessage => message(type, id, HOME);

  it.each([
    { name: 'CreateRole', event: iam.createRole, messages: [homeMessage('iam_role', 'vendor-readonly')] },
    { name: 'UpdateAssumeRolePolicy', event: iam.updateAssumeRolePolicy, messages: [homeMessage('iam_role', 'ci-deployer')] },
    { name: 'CreateLoginProfile', event: iam.createLoginProfile, messages: [homeMessage('iam_user', 'build-bot')] },
    { name: 'CreateAccessKey', event: iam.createAccessKey, messages: [homeMessage('iam_user', 'build-bot')] },
    { name: 'CreateAccessKey by the user itself', event: iam.createAccessKeyForCaller, messages: [homeMessage('iam_user', 'report-exporter')] },
    { name: 'UpdateAccessKey', event: iam.updateAccessKey, messages: [homeMessage('iam_user', 'build-bot')] },
    { name: 'DeactivateMFADevice (root MFA control and the user)', event: iam.deactivateMFADevice, messages: [homeMessage('region', ''), homeMessage('iam_user', 'alice')] },
  ])('$name recorded in us-east-1 gives a message in the home region', ({ event, messages }) => {
    expect(event.detail.awsRegion).toBe('us-east-1');
    expect(translateEvent(event, table, { homeRegion: HOME })).toStrictEqual({ status: 'messages', messages });
  });

  it('a regional type keeps the region the call was made in', () => {
    expect(translateEvent(ec2.createSecurityGroup, table, { homeRegion: HOME })).toStrictEqual({ status: 'messages', messages: [message('security_group', 'sg-0123456789abcdef0')] });
  });
});

describe('translateEvent: resolved from the event, or "not audited" (never "malformed") when the call concerns nothing an auditor can name', () => {
  it.each([
    { name: 'AuthorizeSecurityGroupIngress by group name (default VPC): the group id from the response', event: ec2.authorizeSecurityGroupIngressByName, messages: [message('security_group', 'sg-0d1e2f3a4b5c6d7e8')] },
    // The remediator audits it as the instance the interface is attached to (ec2 canonicalId).
    { name: 'AssociateAddress to a network interface: the interface id', event: ec2.associateAddressToNetworkInterface, messages: [message('ec2', 'eni-0aa1b2c3d4e5f6002')] },
  ])('$name', ({ event, messages }) => {
    expect(translateEvent(event, table)).toStrictEqual({ status: 'messages', messages });
  });

  it.each([
    {
      name: "CreateAccessKey by the root user for itself (no auditor covers the root user's keys)",
      event: iam.createRootAccessKey,
      reason: "not audited: CreateAccessKey by the root user for itself: the root user's access keys belong to no IAM user, and no auditor covers them",
    },
    {
      name: 'AuthorizeSecurityGroupIngress by group name, in a record without rule ids in the response',
      event: ec2.authorizeSecurityGroupIngressByNameWithoutRules,
      reason: 'not audited: AuthorizeSecurityGroupIngress on security group "legacy-web" by name: the response names no group id, so the group is audited at the next poll',
    },
    {
      name: "ELBv2's CreateLoadBalancer (same source and name as Classic's; apiVersion 2015-12-01)",
      event: elb.createApplicationLoadBalancer,
      reason: 'not audited: CreateLoadBalancer of ELBv2 load balancer "public-web": audited as elbv2 when a listener is created or changed',
    },
  ])('$name', ({ event, reason }) => {
    expect(translateEvent(event, table)).toStrictEqual({ status: 'skipped', reason });
  });

  it.each([
    { name: 'CreateAccessKey by an IAM user with no userName anywhere', event: malformed(iam.createAccessKeyForCaller, (copy) => void (copy.detail.responseElements = null)), reason: /^malformed event: no id at responseElements\.accessKey\.userName/ },
    { name: 'AuthorizeSecurityGroupIngress with neither group id nor name', event: malformed(ec2.authorizeSecurityGroupIngress, (copy) => void (copy.detail.requestParameters = {}, copy.detail.responseElements = null)), reason: /^malformed event: no id at requestParameters\.groupId or responseElements/ },
    { name: 'Classic CreateLoadBalancer without loadBalancerName', event: malformed(elb.createClassicLoadBalancer, (copy) => void (copy.detail.requestParameters = { availabilityZones: ['us-east-1a'] })), reason: /^malformed event: no id at requestParameters\.loadBalancerName in CreateLoadBalancer/ },
    { name: 'AssociateAddress with neither instance nor interface', event: malformed(ec2.associateAddress, (copy) => void (copy.detail.requestParameters = { allocationId: 'eipalloc-0e8d7c6b5a4f32109' })), reason: /^malformed event: no id at requestParameters\.instanceId/ },
  ])('still malformed: $name', ({ event, reason }) => {
    const translation = translateEvent(event, table);
    expect(translation.status).toBe('skipped');
    if (translation.status === 'skipped') expect(translation.reason).toMatch(reason);
  });
});

describe('translateEvent: database identifiers as AWS stores them, and renames', () => {
  const RENAME_DELAY = 300;

  it.each([
    { name: 'RDS ModifyDBInstance with a mixed-case identifier: the lower-case one RDS stores', event: rds.modifyDBInstanceMixedCase, messages: [message('rds', 'orders-db')] },
    {
      name: 'RDS ModifyDBInstance renaming: the old name now, the new (lower-cased) name once renamed',
      event: rds.modifyDBInstanceRename,
      messages: [message('rds', 'orders-db'), message('rds', 'orders-db-legacy', 'us-east-1', RENAME_DELAY)],
    },
    {
      name: 'RDS ModifyDBCluster renaming',
      event: rds.modifyDBClusterRename,
      messages: [message('rds', 'ledger-aurora'), message('rds', 'ledger-aurora-v2', 'us-east-1', RENAME_DELAY)],
    },
    {
      name: 'Redshift ModifyCluster renaming',
      event: redshift.modifyClusterRename,
      messages: [message('redshift', 'analytics-warehouse'), message('redshift', 'analytics-warehouse-2026', 'us-east-1', RENAME_DELAY)],
    },
    {
      name: 'RDS CreateDBInstance with a mixed-case identifier',
      event: variant(rds.createDBInstance, (copy) => void ((copy.detail.requestParameters as { dBInstanceIdentifier: string }).dBInstanceIdentifier = 'ORDERS-DB')),
      messages: [message('rds', 'orders-db', 'us-east-1', CREATION_DELAY)],
    },
  ])('$name', ({ event, messages }) => {
    expect(translateEvent(event, table)).toStrictEqual({ status: 'messages', messages });
  });
});
