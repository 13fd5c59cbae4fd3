/**
 * Events as EventBridge and SNS deliver them to the notifier: GuardDuty
 * findings of several types and severities (schemaVersion 2.0, the shape
 * GuardDuty publishes), root and non-root console sign-ins, and an SNS
 * record carrying this service's FindingsNotification.
 */
import type { EventBridgeEvent, SNSEvent } from 'aws-lambda';
import type { FindingsNotification } from '../../services/core/notifications.ts';

type Detail = Record<string, unknown>;

export function guardDutyEvent(detail: Detail, region = 'us-east-1', account = '999999999999'): EventBridgeEvent<'GuardDuty Finding', Detail> {
  return {
    version: '0',
    id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account,
    time: '2026-11-20T11:52:19Z',
    region,
    resources: [],
    detail,
  };
}

/** Low (2): SSH brute force against an instance. */
export const SSH_BRUTE_FORCE = {
  schemaVersion: '2.0',
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  id: '16afba5c5c43e07c9e3e5e2e544e95df',
  arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/16afba5c5c43e07c9e3e5e2e544e95df',
  type: 'UnauthorizedAccess:EC2/SSHBruteForce',
  resource: {
    resourceType: 'Instance',
    instanceDetails: {
      instanceId: 'i-0a1b2c3d4e5f67890',
      instanceType: 't3.micro',
      launchTime: '2026-11-02T08:00:12.000Z',
      availabilityZone: 'us-east-1a',
      tags: [{ key: 'Name', value: 'bastion' }],
    },
  },
  service: {
    serviceName: 'guardduty',
    detectorId: '12abc34d567e8fa901bc2d34e56789f0',
    action: {
      actionType: 'NETWORK_CONNECTION',
      networkConnectionAction: {
        connectionDirection: 'INBOUND',
        remoteIpDetails: { ipAddressV4: '198.51.100.23', country: { countryName: 'Netherlands' } },
        remotePortDetails: { port: 40562, portName: 'Unknown' },
        localPortDetails: { port: 22, portName: 'SSH' },
        protocol: 'TCP',
        blocked: false,
      },
    },
    resourceRole: 'TARGET',
    additionalInfo: { value: '{}', type: 'default' },
    eventFirstSeen: '2026-11-20T09:02:11.000Z',
    eventLastSeen: '2026-11-20T11:41:37.000Z',
    archived: false,
    count: 37,
  },
  severity: 2,
  createdAt: '2026-11-20T09:17:52.116Z',
  updatedAt: '2026-11-20T11:52:19.004Z',
  title: '198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f67890.',
  description: '198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f67890. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.',
};

/** Medium (5): an unprotected port being probed, in eu-west-1. */
export const PORT_PROBE = {
  schemaVersion: '2.0',
  accountId: '210987654321',
  region: 'eu-west-1',
  partition: 'aws',
  id: '9ec6a2d8f1b34c7e8a5d0f2b6c4e1a37',
  arn: 'arn:aws:guardduty:eu-west-1:210987654321:detector/6ec4a2d8f1b34c7e8a5d0f2b6c4e1a30/finding/9ec6a2d8f1b34c7e8a5d0f2b6c4e1a37',
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0fedcba9876543210' } },
  service: {
    serviceName: 'guardduty',
    detectorId: '6ec4a2d8f1b34c7e8a5d0f2b6c4e1a30',
    action: { actionType: 'PORT_PROBE', portProbeAction: { blocked: false, portProbeDetails: [{ localPortDetails: { port: 5432, portName: 'POSTGRESQL' } }] } },
    eventFirstSeen: '2026-11-19T22:10:04.000Z',
    eventLastSeen: '2026-11-20T10:58:41.000Z',
    archived: false,
    count: 4,
  },
  severity: 5,
  createdAt: '2026-11-19T22:25:33.870Z',
  updatedAt: '2026-11-20T11:03:12.412Z',
  title: 'Unprotected port on EC2 instance i-0fedcba9876543210 is being probed.',
  description: 'EC2 instance has an unprotected port 5432 which is being probed by a known malicious host <script> & co.',
};

/** High (8): instance credentials used from outside AWS. */
export const CREDENTIAL_EXFILTRATION = {
  schemaVersion: '2.0',
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  id: '2ac4f1e6d9b8c7a6f5e4d3c2b1a09876',
  arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/2ac4f1e6d9b8c7a6f5e4d3c2b1a09876',
  type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAEXAMPLE123456789', principalId: 'AROAEXAMPLE:i-0a1b2c3d4e5f67890', userName: 'web-role', userType: 'AssumedRole' } },
  service: {
    serviceName: 'guardduty',
    detectorId: '12abc34d567e8fa901bc2d34e56789f0',
    action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', callerType: 'Remote IP' } },
    eventFirstSeen: '2026-11-20T11:30:00.000Z',
    eventLastSeen: '2026-11-20T11:30:00.000Z',
    archived: false,
    count: 1,
  },
  severity: 8,
  createdAt: '2026-11-20T11:45:10.000Z',
  updatedAt: '2026-11-20T11:45:10.000Z',
  title: 'Credentials for instance role web-role used from external IP address.',
  description: 'Credentials created exclusively for an EC2 instance using instance role web-role have been used from external IP address 203.0.113.50.',
};

/** High (8), GovCloud: a crypto-mining DNS lookup. */
export const GOV_BITCOIN = {
  schemaVersion: '2.0',
  accountId: '345678901234',
  region: 'us-gov-west-1',
  partition: 'aws-us-gov',
  id: '4be2c0d8a6f4e2c0b8a6d4f2e0c8b6a4',
  arn: 'arn:aws-us-gov:guardduty:us-gov-west-1:345678901234:detector/0be2c0d8a6f4e2c0b8a6d4f2e0c8b6a0/finding/4be2c0d8a6f4e2c0b8a6d4f2e0c8b6a4',
  type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  resource: { resourceType: 'Instance' },
  service: { serviceName: 'guardduty', eventFirstSeen: '2026-11-20T07:00:00.000Z', eventLastSeen: '2026-11-20T11:00:00.000Z', archived: false, count: 112 },
  severity: 8,
  createdAt: '2026-11-20T07:14:00.000Z',
  updatedAt: '2026-11-20T11:14:00.000Z',
  title: 'EC2 instance i-0123456789abcdef0 is querying a domain name that is associated with Bitcoin-related activity.',
  description: 'EC2 instance i-0123456789abcdef0 is querying a domain name associated with cryptocurrency mining.',
};

/** Medium (4, the lowest medium score), China partition, S3 protection. */
export const CN_S3_TOR = {
  schemaVersion: '2.0',
  accountId: '456789012345',
  region: 'cn-north-1',
  partition: 'aws-cn',
  id: '6cf3d1b9a7e5c3a1f9d7b5e3c1a9f7d5',
  arn: 'arn:aws-cn:guardduty:cn-north-1:456789012345:detector/1cf3d1b9a7e5c3a1f9d7b5e3c1a9f7d0/finding/6cf3d1b9a7e5c3a1f9d7b5e3c1a9f7d5',
  type: 'Discovery:S3/TorIPCaller',
  resource: { resourceType: 'S3Bucket' },
  service: { serviceName: 'guardduty', eventFirstSeen: '2026-11-20T03:00:00.000Z', eventLastSeen: '2026-11-20T03:00:00.000Z', archived: false, count: 1 },
  severity: 4,
  createdAt: '2026-11-20T03:10:00.000Z',
  updatedAt: '2026-11-20T03:10:00.000Z',
  title: 'An S3 API was invoked from a Tor exit node IP address.',
  description: 'An S3 API commonly used to discover resources was invoked from a Tor exit node.',
};

export function consoleSignIn(type: 'Root' | 'IAMUser', login: 'Success' | 'Failure' = 'Success'): EventBridgeEvent<'AWS Console Sign In via CloudTrail', Detail> {
  const identity =
    type === 'Root'
      ? { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }
      : { type: 'IAMUser', principalId: 'AIDAEXAMPLE1234567890', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' };
  return {
    version: '0',
    id: '6f4b1e9c-1b5e-3c1d-8b4c-0f5d3e2a1c9b',
    'detail-type': 'AWS Console Sign In via CloudTrail',
    source: 'aws.signin',
    account: '123456789012',
    time: '2026-11-20T06:14:03Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: identity,
      eventTime: '2026-11-20T06:14:03Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.12',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      requestParameters: null,
      responseElements: { ConsoleLogin: login },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
      eventID: 'a9f1c3e5-7b2d-4f6a-8c0e-1d3b5f7a9c2e',
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
    },
  };
}

export const BUCKET_FINDINGS: FindingsNotification = {
  kind: 'compliance-findings',
  resource: { account: '123456789012', region: 'eu-west-1', type: 's3_bucket', id: 'acme-public-assets' },
  severity: 'critical',
  findings: [
    {
      findingId: '5d41402abc4b2a76b9719d911017c592',
      checkId: 's3_bucket.public_policy',
      title: 'Bucket policy allows access to everyone',
      severity: 'critical',
      account: '123456789012',
      region: 'eu-west-1',
      type: 's3_bucket',
      id: 'acme-public-assets',
      detail: 'statement "PublicRead" allows s3:GetObject to principal * without a condition',
      remediation: 'planned',
    },
    {
      findingId: '7d793037a0760186574b0282f2f435e7',
      checkId: 's3_bucket.tls_not_enforced',
      title: 'Bucket policy does not enforce TLS',
      severity: 'medium',
      account: '123456789012',
      region: 'eu-west-1',
      type: 's3_bucket',
      id: 'acme-public-assets',
      detail: 'no Deny on aws:SecureTransport = false',
      remediation: 'excepted',
      remediationDetail: 'legacy <http> clients & partners',
    },
  ],
};

export function snsEvent(message: unknown, subject = '[CRITICAL] 2 findings: s3_bucket acme-public-assets in 123456789012 eu-west-1'): SNSEvent {
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:999999999999:compliance-prod-notifications:0b9d3f4e-6a7c-4b1d-9e2f-3a4b5c6d7e8f',
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: '2026-11-20T02:14:55.123Z',
          Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          MessageAttributes: { severity: { Type: 'String', Value: 'critical' }, type: { Type: 'String', Value: 's3_bucket' }, account: { Type: 'String', Value: '123456789012' } },
          Type: 'Notification',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:999999999999:compliance-prod-notifications:0b9d3f4e',
          TopicArn: 'arn:aws:sns:us-east-1:999999999999:compliance-prod-notifications',
          Subject: subject,
        },
      },
    ],
  };
}
