import type { MisconfigurationEntry } from './makerContract.ts';
import { s3BucketMaker } from './entries/s3Bucket.ts';
import { rdsMaker } from './entries/rds.ts';
import { rdsSnapshotMaker } from './entries/rdsSnapshot.ts';
import { redshiftMaker } from './entries/redshift.ts';
import { iamUserMaker } from './entries/iamUser.ts';
import { iamRoleMaker } from './entries/iamRole.ts';
import { lambdaFunctionMaker } from './entries/lambdaFunction.ts';
import { sqsQueueMaker } from './entries/sqsQueue.ts';
import { elbMaker } from './entries/elb.ts';
import { elbv2Maker } from './entries/elbv2.ts';
import { ec2InstanceMaker } from './entries/ec2Instance.ts';
import { securityGroupMaker } from './entries/securityGroup.ts';
import { amiMaker } from './entries/ami.ts';
import { ebsSnapshotMaker } from './entries/ebsSnapshot.ts';
import { ebsVolumeMaker } from './entries/ebsVolume.ts';
import { kmsKeyMaker } from './entries/kmsKey.ts';
import { secretMaker } from './entries/secret.ts';
import { snsTopicMaker } from './entries/snsTopic.ts';
import { ecrRepositoryMaker } from './entries/ecrRepository.ts';
import { efsFileSystemMaker } from './entries/efsFileSystem.ts';
import { openSearchDomainMaker } from './entries/openSearchDomain.ts';
import { cloudTrailTrailMaker } from './entries/cloudTrailTrail.ts';
import { dynamodbTableMaker } from './entries/dynamodbTable.ts';
import { ssmDocumentMaker } from './entries/ssmDocument.ts';
import { ecsTaskDefinitionMaker } from './entries/ecsTaskDefinition.ts';
import { eksClusterMaker } from './entries/eksCluster.ts';

/** One entry per auditor type whose checks can be provoked by creating something (one per line: branches append). */
export const MAKER_ENTRIES: readonly MisconfigurationEntry[] = [
  s3BucketMaker,
  rdsMaker,
  rdsSnapshotMaker,
  redshiftMaker,
  iamUserMaker,
  iamRoleMaker,
  lambdaFunctionMaker,
  sqsQueueMaker,
  elbMaker,
  elbv2Maker,
  ec2InstanceMaker,
  ebsVolumeMaker,
  securityGroupMaker,
  amiMaker,
  ebsSnapshotMaker,
  kmsKeyMaker,
  secretMaker,
  snsTopicMaker,
  ecrRepositoryMaker,
  efsFileSystemMaker,
  openSearchDomainMaker,
  cloudTrailTrailMaker,
  dynamodbTableMaker,
  ssmDocumentMaker,
  ecsTaskDefinitionMaker,
  eksClusterMaker,
];
/** One entry per auditor type whose checks can be provoked by creating something. */
