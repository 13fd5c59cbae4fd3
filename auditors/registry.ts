import { declaresFramework, type Framework } from '../services/core/frameworks.ts';
import type { ResourceType } from '../services/core/resourceTypes.ts';
import type { Auditor, RemediationRisk } from './contract.ts';
import { amiAuditor } from './ami.ts';
import { cloudTrailTrailAuditor } from './cloudTrailTrail.ts';
import { ebsSnapshotAuditor } from './ebsSnapshot.ts';
import { dynamodbTableAuditor } from './dynamodbTable.ts';
import { ebsVolumeAuditor } from './ebsVolume.ts';
import { ecrRepositoryAuditor } from './ecrRepository.ts';
import { efsFileSystemAuditor } from './efsFileSystem.ts';
import { openSearchDomainAuditor } from './openSearchDomain.ts';
import { ecsTaskDefinitionAuditor } from './ecsTaskDefinition.ts';
import { eksClusterAuditor } from './eksCluster.ts';
import { ec2Auditor } from './ec2Instance.ts';
import { elbAuditor } from './elb.ts';
import { elbv2Auditor } from './elbv2.ts';
import { iamRoleAuditor } from './iamRole.ts';
import { iamUserAuditor } from './iamUser.ts';
import { lambdaFunctionAuditor } from './lambdaFunction.ts';
import { rdsAuditor } from './rds.ts';
import { rdsSnapshotAuditor } from './rdsSnapshot.ts';
import { redshiftAuditor } from './redshift.ts';
import { regionAuditor } from './region/index.ts';
import { s3BucketAuditor } from './s3Bucket.ts';
import { securityGroupAuditor } from './securityGroup.ts';
import { snsTopicAuditor } from './snsTopic.ts';
import { sqsAuditor } from './sqsQueue.ts';
import { kmsKeyAuditor } from './kmsKey.ts';
import { secretAuditor } from './secret.ts';
import { ssmDocumentAuditor } from './ssmDocument.ts';

/**
 * Every auditor, by type. Adding a resource type: write one auditor file
 * (its triggers in triggers/<file>.ts, listed in triggers/index.ts) and add
 * it here; the poller, remediator, IAM policy and event patterns derive from
 * this list, the event translator from triggers/index.ts.
 */
export const AUDITORS: readonly Auditor[] = [
  regionAuditor,
  s3BucketAuditor,
  ec2Auditor,
  amiAuditor,
  ebsSnapshotAuditor,
  ebsVolumeAuditor,
  securityGroupAuditor,
  rdsAuditor,
  rdsSnapshotAuditor,
  redshiftAuditor,
  sqsAuditor,
  iamUserAuditor,
  iamRoleAuditor,
  lambdaFunctionAuditor,
  elbAuditor,
  elbv2Auditor,
  kmsKeyAuditor,
  secretAuditor,
  snsTopicAuditor,
  ecrRepositoryAuditor,
  efsFileSystemAuditor,
  openSearchDomainAuditor,
  cloudTrailTrailAuditor,
  dynamodbTableAuditor,
  ssmDocumentAuditor,
  ecsTaskDefinitionAuditor,
  eksClusterAuditor,
];

const BY_TYPE = new Map<string, Auditor>(AUDITORS.map((auditor) => [auditor.type, auditor]));

/** Every check id whose remediation carries this risk (the demo opts into every disruptive one). */
export function checkIdsWithRisk(risk: RemediationRisk): string[] {
  return AUDITORS.flatMap((auditor) => Object.entries(auditor.remediations).filter(([, remediation]) => remediation.risk === risk).map(([id]) => id));
}

/** Check ids whose remediation stops the resource rather than fixing it: their findings stay after it. */
export function mitigatingCheckIds(): string[] {
  return AUDITORS.flatMap((auditor) => Object.entries(auditor.remediations).filter(([, remediation]) => remediation.mitigates === true).map(([id]) => id));
}

export function auditorFor(type: ResourceType | string): Auditor | undefined {
  return BY_TYPE.get(type);
}

export function auditedTypes(): ResourceType[] {
  return AUDITORS.map((auditor) => auditor.type);
}

/** The types with at least one check that declares a control of the framework: what the poller lists with --framework. */
export function typesDeclaring(framework: Framework): ResourceType[] {
  return AUDITORS.filter((auditor) => auditor.checks.some((check) => declaresFramework(check.controls, framework))).map((auditor) => auditor.type);
}
