/**
 * Where moto (getmoto/moto 5.2.x) lacks or mis-implements something the
 * moto-backed tests meet: data, one entry per gap, each with the moto source
 * line and the test that works around it. The test summary prints them
 * (tests/plainSummaryReporter.ts), so no gap is ever silent.
 */
export interface MotoGap {
  /** Stable name, used by the tests that work around it. */
  id: string;
  /** What moto does differently from AWS. */
  what: string;
  /** The moto source line, relative to site-packages/moto. */
  motoSource: string;
  /** The test file that meets it, and what it (or our code) does instead. */
  workaround: { test: string; how: string };
}

export const MOTO_GAPS = [
  {
    id: 'moto-snapshot-permission-form',
    what: 'ModifySnapshotAttribute reads only OperationType + UserIds/GroupNames; the CreateVolumePermission.Add/Remove form is accepted and ignored',
    motoSource: 'ec2/responses/elastic_block_store.py:213',
    workaround: {
      test: 'tests/integration/pipelineOnMoto.test.ts',
      how: 'the maker and the ebs_snapshot remediation send OperationType + UserIds/GroupNames, which AWS accepts too',
    },
  },
  {
    id: 'moto-redshift-unencrypted-default',
    what: 'CreateCluster without Encrypted makes an unencrypted cluster (AWS encrypts every new cluster since January 2025)',
    motoSource: 'redshift/responses.py:46',
    workaround: { test: 'tests/integration/pipelineOnMoto.test.ts', how: 'the maker asks for Encrypted: true, which AWS accepts too' },
  },
  {
    id: 'moto-recorder-one-file',
    what: 'the request recorder writes every account\'s requests to one file, with no account field (the account is only behind the access key)',
    motoSource: 'moto_api/_internal/recorder/models.py:28',
    workaround: {
      test: 'tests/integration/pipelineOnMoto.test.ts',
      how: 'mutating calls are counted by an SDK middleware on the factory\'s clients, per account, instead of from the shared recording',
    },
  },
  {
    id: 'moto-dynamodb-update-race',
    what: 'UpdateItem reads the item, checks ConditionExpression and writes without a lock, on a threaded server: concurrent conditional ADDs can all pass (200 concurrent takes with a limit of 50 granted 52); DynamoDB applies writes to one item one at a time',
    motoSource: 'dynamodb/models/__init__.py:481',
    workaround: {
      test: 'tests/integration/brakeStoreOnMoto.test.ts',
      how: 'the brake tests send the store\'s requests to moto one at a time (as DynamoDB applies them to the item); the remediators around them still run concurrently',
    },
  },
  {
    id: 'moto-assumerole-external-id-unchecked',
    // AWS refuses AssumeRole when the trust policy's sts:ExternalId condition does not match:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
    what: 'AssumeRole accepts any ExternalId, or none: assume_role stores it on the AssumedRole and never compares it with a trust policy (the role need not even exist)',
    motoSource: 'sts/models.py:101',
    workaround: {
      test: 'tests/integration/pipelineOnMoto.test.ts',
      how: 'an SDK middleware on the factory\'s STS clients records every AssumeRole, and the test asserts its RoleArn, ExternalId and RoleSessionName',
    },
  },
  {
    id: 'moto-config-service-linked-role-name',
    what: 'CreateServiceLinkedRole for config.amazonaws.com names the role AWSServiceRoleForconfig (AWS: AWSServiceRoleForConfig), so GetRole of the real name never finds it and a second region\'s CreateServiceLinkedRole fails with EntityAlreadyExists',
    motoSource: 'iam/models.py:3379',
    workaround: { test: 'tests/integration/regionOnMoto.test.ts', how: 'the test configures configRecorderRoleArn (a recorder role of its own), which AWS accepts too' },
  },
  {
    id: 'moto-securityhub-standards-missing',
    what: 'Security Hub has no standards API: GetEnabledStandards and BatchEnableStandards answer an HTML 404 (no /standards route)',
    motoSource: 'securityhub/urls.py:9',
    workaround: { test: 'tests/integration/regionOnMoto.test.ts', how: 'the test expects region.securityhub_off to stay (unknown after EnableSecurityHub succeeds, its BatchEnableStandards failed), and says so' },
  },
  {
    id: 'moto-macie-naive-dates',
    what: 'GetMacieSession returns createdAt/updatedAt without a UTC offset, which the SDK rejects as not RFC 3339 (and a new account\'s Macie session is ENABLED, line 66, where AWS has none)',
    motoSource: 'macie2/models.py:157',
    workaround: { test: 'tests/integration/regionOnMoto.test.ts', how: 'the test expects region.macie_off unknown (the reading fails), a finding with no remediation, and says so' },
  },
  {
    id: 'moto-no-audit-manager',
    what: 'moto has no Audit Manager backend (none between athena and autoscaling): GetAccountStatus answers an HTML page with HTTP 500, which the SDK retries to its last attempt',
    motoSource: 'backends.py:21',
    workaround: { test: 'tests/integration/regionOnMoto.test.ts', how: 'the test expects region.auditmanager_off unknown (the reading fails), a finding with no remediation, and says so' },
  },
  {
    id: 'moto-dynamodb-put-race',
    what: 'PutItem reads the current item, evaluates ConditionExpression and stores the new item without a lock, on a threaded server: two concurrent conditional puts on one item can both pass; DynamoDB applies writes to one item one at a time',
    motoSource: 'dynamodb/models/table.py:668',
    workaround: {
      test: 'tests/integration/findingsStoreOnMoto.test.ts',
      how: 'the test lets the remediators read concurrently (each decides on the same version) and sends their conditional writes to moto one at a time, as DynamoDB applies them',
    },
  },
  {
    id: 'moto-organizations-list-accounts-outside-organization',
    // AWS: ListAccounts from an account in no organization fails with AWSOrganizationsNotInUseException:
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
    what: 'ListAccounts from a caller in no organization answers an empty list instead of AWSOrganizationsNotInUseException (no organization check)',
    motoSource: 'organizations/models.py:661',
    workaround: {
      test: 'tests/integration/selfProtection.test.ts',
      how: 'both answers leave no organization account to trust: the test shows the security account is trusted through GetCallerIdentity alone; the sandbox test raises AWSOrganizationsNotInUseException itself',
    },
  },
  {
    id: 'moto-securityhub-get-findings-filters-ignored',
    // AWS: GetFindings returns the findings that match Filters: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html
    what: 'GetFindings ignores Filters and SortCriteria ("not yet implemented"): it answers every finding of the account and region',
    motoSource: 'securityhub/models.py:141',
    workaround: { test: 'tests/integration/securityHubOnMoto.test.ts', how: 'the test sends the ProductArn filter AWS would apply and filters the answer itself the same way' },
  },
  {
    id: 'moto-cloudtrail-get-trail-no-home-region',
    // AWS's GetTrail answers the Trail with HomeRegion: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrail.html
    what: 'GetTrail answers the trail without HomeRegion (description() without include_region; DescribeTrails has it)',
    motoSource: 'cloudtrail/responses.py:59',
    workaround: {
      test: 'tests/integration/cloudTrailTrailOnMoto.test.ts',
      how: 'the auditor judges a shadow by the ARN\'s account and, where GetTrail gives one, HomeRegion; without it, the trail GetTrail found by name in this region is this region\'s (as moto keeps trails per region)',
    },
  },
  {
    id: 'moto-cloudtrail-delete-missing-trail',
    // AWS: DeleteTrail of an unknown trail fails with TrailNotFoundException: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteTrail.html#API_DeleteTrail_Errors
    what: 'DeleteTrail of a trail that does not exist answers success (delete_trail ignores an unknown name)',
    motoSource: 'cloudtrail/models.py:345',
    workaround: { test: 'tests/integration/cloudTrailTrailOnMoto.test.ts', how: 'the maker\'s teardown looks the trail up with GetTrail (TrailNotFoundException in both) before DeleteTrail, so a second teardown reports nothing removed' },
  },
  {
    id: 'moto-cloudtrail-bucket-policy-unchecked',
    // AWS refuses CreateTrail with InsufficientS3BucketPolicyException: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    what: 'CreateTrail checks only that the bucket exists, not that its policy lets cloudtrail.amazonaws.com write (AWS: InsufficientS3BucketPolicyException)',
    motoSource: 'cloudtrail/models.py:137',
    workaround: { test: 'tests/integration/cloudTrailTrailOnMoto.test.ts', how: 'the test asserts the maker wrote CloudTrail\'s delivery statements to the bucket policy itself, since moto would accept the trail without them' },
  },
  {
    id: 'moto-ecs-latest-revision-ignores-status',
    // AWS: a family alone names its latest ACTIVE revision: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html#ECS-DescribeTaskDefinition-request-taskDefinition
    what: 'DescribeTaskDefinition of a family answers its highest revision whatever its status (INACTIVE included), where AWS answers the latest ACTIVE one or ClientException "Unable to describe task definition."',
    motoSource: 'ecs/models.py:2107',
    workaround: { test: 'tests/integration/ecsTaskDefinitionOnMoto.test.ts', how: 'the auditor treats a revision that is not ACTIVE as gone, the verdict AWS gives a family with no ACTIVE revision' },
  },
  {
    id: 'moto-ecs-families-ignore-status',
    // AWS: status ACTIVE lists only families with an ACTIVE revision: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitionFamilies.html#ECS-ListTaskDefinitionFamilies-request-status
    what: 'ListTaskDefinitionFamilies ignores status (and maxResults/nextToken): a family whose every revision is deregistered is still listed',
    motoSource: 'ecs/models.py:2041',
    workaround: { test: 'tests/integration/ecsTaskDefinitionOnMoto.test.ts', how: 'after teardown the test expects the family listed still, and its audit gone (no finding), as the auditor reads the revision\'s status' },
  },
  {
    id: 'moto-eks-vpc-config-defaults',
    // AWS answers endpointPublicAccess true, endpointPrivateAccess false and publicAccessCidrs ["0.0.0.0/0"] when the request names none:
    // https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html
    what: 'CreateCluster stores resourcesVpcConfig as sent: without endpointPublicAccess / endpointPrivateAccess / publicAccessCidrs in the request, DescribeCluster answers none of them (and no vpcId or clusterSecurityGroupId)',
    motoSource: 'eks/models.py:142',
    workaround: { test: 'tests/integration/pipelineOnMoto.test.ts', how: "the maker's CreateCluster sends EKS's defaults explicitly (public endpoint, 0.0.0.0/0), which AWS accepts too" },
  },
] as const satisfies readonly MotoGap[];

export type MotoGapId = (typeof MOTO_GAPS)[number]['id'];

/** The gap by name: a test that works around one names it, so the name must exist. */
export function motoGap(id: MotoGapId): MotoGap {
  const gap = MOTO_GAPS.find((g) => g.id === id);
  if (!gap) throw new Error(`no moto gap named ${id}`);
  return gap;
}
