import type { SandboxService } from '../serviceModel.ts';
import { organizationsService } from './organizations.ts';
import { s3Service } from './s3.ts';
import { rdsService } from './rds.ts';
import { redshiftService } from './redshift.ts';
import { iamService } from './iam.ts';
import { lambdaService } from './lambda.ts';
import { sqsService } from './sqs.ts';
import { snsService } from './sns.ts';
import { ecrService } from './ecr.ts';
import { dynamoDbService } from './dynamodb.ts';
import { elbService } from './elb.ts';
import { elbv2Service } from './elbv2.ts';
import { ec2Service } from './ec2.ts';
import { guardDutyService } from './guardDuty.ts';
import { configService } from './awsConfig.ts';
import { cloudTrailService } from './cloudTrail.ts';
import { securityHubService } from './securityHub.ts';
import { macieService } from './macie.ts';
import { inspectorService } from './inspector.ts';
import { auditManagerService } from './auditManager.ts';
import { s3ControlService } from './s3Control.ts';
import { stsService } from './sts.ts';
import { kmsService } from './kms.ts';
import { secretsManagerService } from './secretsManager.ts';
import { efsService } from './efs.ts';
import { openSearchService } from './openSearch.ts';
import { ssmService } from './ssm.ts';
import { ecsService } from './ecs.ts';
import { eksService } from './eks.ts';

/** Every service the sandbox answers. Adding one: a file here, and a line below. */
export const SANDBOX_SERVICES: readonly SandboxService[] = [
  s3Service,
  organizationsService,
  rdsService,
  redshiftService,
  iamService,
  lambdaService,
  sqsService,
  elbService,
  elbv2Service,
  ec2Service,
  guardDutyService,
  configService,
  cloudTrailService,
  securityHubService,
  macieService,
  inspectorService,
  auditManagerService,
  s3ControlService,
  stsService,
  kmsService,
  secretsManagerService,
  snsService,
  ecrService,
  efsService,
  openSearchService,
  dynamoDbService,
  ssmService,
  ecsService,
  eksService,
];
