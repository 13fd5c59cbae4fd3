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
