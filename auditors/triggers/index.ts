/**
 * Every auditor's CloudTrail triggers, by type, with the scope the event
 * translator reads (a global type's events are audited in the home region).
 * SDK-free: the translator builds its table from here, not from the
 * registry, so its bundle holds no auditor and no AWS client. In the
 * registry's order; tests/auditors/triggers.test.ts holds it equal to the
 * registry's auditors.
 */
import type { ResourceType } from '../../services/core/resourceTypes.ts';
import type { CloudTrailTrigger, Scope } from '../contract.ts';
import { amiTriggers } from './ami.ts';
import { cloudTrailTrailTriggers } from './cloudTrailTrail.ts';
import { ebsSnapshotTriggers } from './ebsSnapshot.ts';
import { dynamodbTableTriggers } from './dynamodbTable.ts';
import { ebsVolumeTriggers } from './ebsVolume.ts';
import { ecrRepositoryTriggers } from './ecrRepository.ts';
import { efsFileSystemTriggers } from './efsFileSystem.ts';
import { openSearchDomainTriggers } from './openSearchDomain.ts';
import { ecsTaskDefinitionTriggers } from './ecsTaskDefinition.ts';
import { eksClusterTriggers } from './eksCluster.ts';
import { ec2Triggers } from './ec2Instance.ts';
import { elbTriggers } from './elb.ts';
import { elbv2Triggers } from './elbv2.ts';
import { iamRoleTriggers } from './iamRole.ts';
import { iamUserTriggers } from './iamUser.ts';
import { lambdaFunctionTriggers } from './lambdaFunction.ts';
import { rdsTriggers } from './rds.ts';
import { rdsSnapshotTriggers } from './rdsSnapshot.ts';
import { redshiftTriggers } from './redshift.ts';
import { regionTriggers } from './region.ts';
import { s3BucketTriggers } from './s3Bucket.ts';
import { securityGroupTriggers } from './securityGroup.ts';
import { snsTopicTriggers } from './snsTopic.ts';
import { sqsTriggers } from './sqsQueue.ts';
import { kmsKeyTriggers } from './kmsKey.ts';
import { secretTriggers } from './secret.ts';
import { ssmDocumentTriggers } from './ssmDocument.ts';

/** What the translator needs of an auditor: an Auditor is one. */
export interface TriggerDeclaration {
  type: ResourceType;
  scope: Scope;
  triggers: readonly CloudTrailTrigger[];
}

export const TRIGGERS_BY_TYPE: Readonly<Record<ResourceType, Omit<TriggerDeclaration, 'type'>>> = {
  region: { scope: 'regional', triggers: regionTriggers },
  s3_bucket: { scope: 'regional', triggers: s3BucketTriggers },
  ec2: { scope: 'regional', triggers: ec2Triggers },
  ami: { scope: 'regional', triggers: amiTriggers },
  ebs_snapshot: { scope: 'regional', triggers: ebsSnapshotTriggers },
  ebs_volume: { scope: 'regional', triggers: ebsVolumeTriggers },
  security_group: { scope: 'regional', triggers: securityGroupTriggers },
  rds: { scope: 'regional', triggers: rdsTriggers },
  rds_snapshot: { scope: 'regional', triggers: rdsSnapshotTriggers },
  redshift: { scope: 'regional', triggers: redshiftTriggers },
  sqs: { scope: 'regional', triggers: sqsTriggers },
  iam_user: { scope: 'global', triggers: iamUserTriggers },
  iam_role: { scope: 'global', triggers: iamRoleTriggers },
  lambda_function: { scope: 'regional', triggers: lambdaFunctionTriggers },
  elb: { scope: 'regional', triggers: elbTriggers },
  elbv2: { scope: 'regional', triggers: elbv2Triggers },
  kms_key: { scope: 'regional', triggers: kmsKeyTriggers },
  secret: { scope: 'regional', triggers: secretTriggers },
  sns_topic: { scope: 'regional', triggers: snsTopicTriggers },
  ecr_repository: { scope: 'regional', triggers: ecrRepositoryTriggers },
  efs_file_system: { scope: 'regional', triggers: efsFileSystemTriggers },
  opensearch_domain: { scope: 'regional', triggers: openSearchDomainTriggers },
  cloudtrail_trail: { scope: 'regional', triggers: cloudTrailTrailTriggers },
  dynamodb_table: { scope: 'regional', triggers: dynamodbTableTriggers },
  ssm_document: { scope: 'regional', triggers: ssmDocumentTriggers },
  ecs_task_definition: { scope: 'regional', triggers: ecsTaskDefinitionTriggers },
  eks_cluster: { scope: 'regional', triggers: eksClusterTriggers },
};

/** The declarations as a list, in the registry's order: what buildTriggerTable and triggeredEvents take. */
export const TRIGGER_DECLARATIONS: readonly TriggerDeclaration[] = (Object.keys(TRIGGERS_BY_TYPE) as ResourceType[]).map((type) => ({ type, ...TRIGGERS_BY_TYPE[type] }));
