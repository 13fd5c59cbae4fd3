/**
 * What the sqs, lambda_function and iam_role auditors rely on in the shared
 * policy analyser (auditors/policy/), with documents as those services return them.
 */
import { describe, expect, it } from 'vitest';
import {
  grantedAccounts,
  isPublicStatement,
  parsePolicyDocument,
  serialisePolicyDocument,
  untrustedAccounts,
  withoutStatements,
  type PolicyStatement,
} from '../../auditors/policy/index.ts';
import { iamEncode } from '../fixtures/iamRole.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:orders-api';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111111111111:orders-events';

function allow(principal: PolicyStatement['Principal'], condition?: PolicyStatement['Condition']): PolicyStatement {
  return { Effect: 'Allow', Principal: principal, Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN, ...(condition ? { Condition: condition } : {}) };
}

describe('policy analyser, as sqs, lambda_function and iam_role use it', () => {
  describe('parsePolicyDocument', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

    it.each([
      ['compact, as GetRole returns it (%2A for "*")', iamEncode(JSON.stringify(trust))],
      ['pretty-printed, as CreateRole received it (%0A%20%20)', iamEncode(JSON.stringify(trust, null, 2))],
      ['encoded with encodeURIComponent ("*" left as is)', encodeURIComponent(JSON.stringify(trust))],
      ['plain JSON, as SQS and Lambda return it', JSON.stringify(trust)],
    ])('reads a trust policy %s', (_name, text) => {
      expect(parsePolicyDocument(text)).toEqual(trust);
    });

    it('accepts a single Statement object', () => {
      const statement = { Sid: 'Send', Effect: 'Allow', Principal: '*', Action: 'SQS:SendMessage', Resource: QUEUE_ARN };
      expect(parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statement })).Statement).toEqual([statement]);
    });

    it('rejects a statement without a valid Effect', () => {
      expect(() => parsePolicyDocument('{"Statement":[{"Effect":"allow"}]}')).toThrow('Effect');
    });
  });

  describe('isPublicStatement', () => {
    it.each([
      ['Principal "*"', allow('*'), true],
      ['{"AWS":"*"}', allow({ AWS: '*' }), true],
      ['a service principal', allow({ Service: 's3.amazonaws.com' }), false],
      ['an account principal', allow({ AWS: 'arn:aws:iam::222222222222:root' }), false],
      ['"*" with AWS:SourceArn (Lambda\'s casing) under ArnLike', allow('*', { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::acme-uploads' } }), false],
      ['"*" with AWS:SourceAccount (Lambda\'s casing)', allow('*', { StringEquals: { 'AWS:SourceAccount': '111111111111' } }), false],
      ['"*" with aws:PrincipalOrgID', allow('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }), false],
      ['"*" with lambda:FunctionUrlAuthType NONE', allow('*', { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }), true],
      ['"*" with lambda:FunctionUrlAuthType AWS_IAM', allow('*', { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } }), false],
      ['"*" with only sts:ExternalId', allow({ AWS: '*' }, { StringEquals: { 'sts:ExternalId': 'shared-secret' } }), true],
      ['"*" with a negated condition', allow('*', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }), true],
      ['"*" with an IfExists condition', allow('*', { StringEqualsIfExists: { 'aws:SourceAccount': '111111111111' } }), true],
      ['a Deny to "*"', { ...allow('*'), Effect: 'Deny' as const }, false],
    ])('%s -> %s', (_name, statement, expected) => {
      expect(isPublicStatement(statement)).toBe(expected);
    });
  });

  describe('untrustedAccounts', () => {
    const trusted = new Set(['222222222222']);

    it.each([
      ['the owner account root', allow({ AWS: 'arn:aws:iam::111111111111:root' }), []],
      ['a trusted account role', allow({ AWS: 'arn:aws:iam::222222222222:role/deployer' }), []],
      ['an unknown account root', allow({ AWS: 'arn:aws:iam::999999999999:root' }), ['999999999999']],
      ['a bare unknown account id', allow({ AWS: '999999999999' }), ['999999999999']],
      ['an id that contains a trusted one', allow({ AWS: 'arn:aws:iam::322222222222:root' }), ['322222222222']],
      ['a list mixing both', allow({ AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:sts::999999999999:assumed-role/ops/jane'] }), ['999999999999']],
      ['"*" limited by aws:SourceAccount', allow('*', { StringEquals: { 'aws:SourceAccount': '999999999999' } }), ['999999999999']],
      ['"*" limited by aws:PrincipalAccount', allow({ AWS: '*' }, { StringEquals: { 'aws:PrincipalAccount': ['999999999999', '222222222222'] } }), ['999999999999']],
      ['a Deny naming an unknown account', { ...allow({ AWS: 'arn:aws:iam::999999999999:root' }), Effect: 'Deny' as const }, []],
      ['a service principal', allow({ Service: 'sns.amazonaws.com' }), []],
    ])('%s', (_name, statement, expected) => {
      expect(untrustedAccounts(statement, '111111111111', trusted)).toEqual(expected);
    });

    it('grantedAccounts lists the owner too', () => {
      expect(grantedAccounts(allow({ AWS: ['arn:aws:iam::111111111111:root', '999999999999'] }))).toEqual(['111111111111', '999999999999']);
    });
  });

  it('withoutStatements keeps Version and Id, and serialises as SQS expects', () => {
    const document = parsePolicyDocument(
      JSON.stringify({ Version: '2012-10-17', Id: `${QUEUE_ARN}/SQSDefaultPolicy`, Statement: [allow('*'), allow({ Service: 'sns.amazonaws.com' })] }),
    );
    const kept = withoutStatements(document, isPublicStatement);
    expect(JSON.parse(serialisePolicyDocument(kept))).toEqual({
      Version: '2012-10-17',
      Id: `${QUEUE_ARN}/SQSDefaultPolicy`,
      Statement: [allow({ Service: 'sns.amazonaws.com' })],
    });
  });
});

describe('policy analyser: accounts named by conditions', () => {
  const trusted = new Set(['111111111111']);

  it.each([
    ['a service principal with a foreign aws:SourceAccount', { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }, ['999999999999']],
    ['a service principal with a foreign aws:SourceArn', { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:999999999999:alerts' } } }, ['999999999999']],
    ['"*" narrowed by aws:PrincipalArn of another account', { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/deploy' } } }, ['999999999999']],
    ['a service principal with the owner account', { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }, []],
  ] as const)('%s', (_name, statement, expected) => {
    expect(untrustedAccounts(statement as PolicyStatement, '111111111111', trusted)).toEqual(expected);
  });

  it('an ARN condition with a wildcard account does not restrict a public statement', () => {
    const statement = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy' } } } as const;
    expect(isPublicStatement(statement as PolicyStatement)).toBe(true);
  });
});

describe('policy analyser: IAM encoding', () => {
  it('decodes a document IAM encoded with its leading newline', () => {
    const text = encodeURIComponent('\n{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}');
    expect(text.startsWith('%0A%7B')).toBe(true);
    expect(parsePolicyDocument(text).Statement).toHaveLength(1);
  });
});

describe('policy analyser: conditions as IAM evaluates them (issue 11)', () => {
  const BUCKET_ARN = 'arn:aws:s3:::acme-reports';

  /** A bucket policy statement for principal "*", as GetBucketPolicy returns it (JSON text). */
  function bucketStatement(condition: PolicyStatement['Condition'], extra: Partial<PolicyStatement> = {}): PolicyStatement {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*`, ...(condition ? { Condition: condition } : {}), ...extra }],
    });
    const [statement] = parsePolicyDocument(text).Statement;
    if (!statement) throw new Error('no statement');
    return statement;
  }

  it.each([
    // ForAllValues: true when the key is absent from the request
    ['ForAllValues:StringEquals aws:PrincipalOrgID', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, true],
    ['ForAllValues:StringLike aws:PrincipalOrgPaths', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/*' } }, true],
    ['ForAnyValue:StringLike aws:PrincipalOrgPaths', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } }, false],
    ['plain StringEquals aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, false],
    // wildcards in the part that names who is let in
    ['StringLike aws:PrincipalOrgID "o-*"', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, true],
    ['StringLike aws:PrincipalOrgID "o-a1b2c3d4e?"', { StringLike: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e?' } }, true],
    ['StringEquals aws:PrincipalOrgID "o-*" (any operator)', { StringEquals: { 'aws:PrincipalOrgID': 'o-*' } }, true],
    ['StringLike aws:PrincipalAccount "1111*"', { StringLike: { 'aws:PrincipalAccount': '1111*' } }, true],
    ['StringLike aws:SourceAccount "*"', { StringLike: { 'aws:SourceAccount': '*' } }, true],
    ['StringLike aws:SourceOwner "11111111111?"', { StringLike: { 'aws:SourceOwner': '11111111111?' } }, true],
    ['one fixed account and one wildcard', { StringLike: { 'aws:SourceAccount': ['111111111111', '2*'] } }, true],
    ['ArnLike aws:PrincipalArn with "*" account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/reader' } }, true],
    ['ArnLike aws:PrincipalArn with a fixed account, any role', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/*' } }, false],
    ['ArnLike aws:SourceArn with a "?" in the account', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:11111111111?:alerts' } }, true],
    ['ArnLike aws:SourceArn of any bucket named acme-*', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-*' } }, true],
    ['ArnEquals aws:SourceArn of one bucket', { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::acme-logs' } }, false],
    ['StringLike aws:SourceVpce "vpce-*"', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, true],
    ['StringLike aws:userid "AROAEXAMPLEID:*" (one role, any session)', { StringLike: { 'aws:userid': 'AROAEXAMPLEID:*' } }, false],
    ['StringLike aws:userid "*:jane"', { StringLike: { 'aws:userid': '*:jane' } }, true],
    ['StringLike aws:PrincipalOrgPaths "o-*/*"', { StringLike: { 'aws:PrincipalOrgPaths': 'o-*/*' } }, true],
  ] as const)('%s -> public %s', (_name, condition, expected) => {
    expect(isPublicStatement(bucketStatement(condition as PolicyStatement['Condition']))).toBe(expected);
  });

  it('a wildcard account in a condition is not granted an account', () => {
    expect(grantedAccounts(bucketStatement({ StringLike: { 'aws:SourceAccount': ['111111111111', '2*'] } }))).toEqual([]);
  });

  // NotPrincipal with Allow is unsupported; it means everyone but the named principals.
  it.each([
    ['NotPrincipal with Allow', { NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } }, undefined, true],
    ['NotPrincipal with Allow and aws:PrincipalOrgID', { NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } }, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, true],
    ['NotPrincipal with Deny', { NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' }, Effect: 'Deny' as const }, undefined, false],
  ] as const)('%s -> public %s', (_name, extra, condition, expected) => {
    const statement = bucketStatement(condition as PolicyStatement['Condition'], extra as Partial<PolicyStatement>);
    delete statement.Principal;
    expect(isPublicStatement(statement)).toBe(expected);
  });
});

describe('policy analyser: a trust policy as GetRole returns it (URL-encoded)', () => {
  it.each([
    ['ForAllValues:StringEquals aws:PrincipalOrgID', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, true],
    ['StringEquals aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, false],
  ] as const)('%s -> public %s', (_name, condition, expected) => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: condition }] };
    const [statement] = parsePolicyDocument(iamEncode(JSON.stringify(trust))).Statement;
    expect(statement && isPublicStatement(statement)).toBe(expected);
  });
});
