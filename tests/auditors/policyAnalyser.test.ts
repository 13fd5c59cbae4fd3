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
