import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../auditors/policy/index.ts';
import { describeUntrustedGrants, untrustedGrants, withoutAccountPrincipals, withoutUntrustedAccounts } from '../../auditors/policy/untrustedGrants.ts';

const OWNER = '111111111111';
const TRUSTED = new Set(['222222222222']);
const UNKNOWN = new Set(['999999999999']);

function allow(principal: PolicyStatement['Principal'], condition?: PolicyStatement['Condition']): PolicyStatement {
  return { Sid: 'Grant', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) };
}

describe('untrusted grants', () => {
  describe('withoutAccountPrincipals', () => {
    it.each<[string, PolicyStatement, PolicyStatement | undefined]>([
      ['the only principal: nothing left', allow({ AWS: 'arn:aws:iam::999999999999:root' }), undefined],
      ['a bare id in a list: the rest kept as a string', allow({ AWS: ['999999999999', 'arn:aws:iam::222222222222:root'] }), allow({ AWS: 'arn:aws:iam::222222222222:root' })],
      [
        'two entries of the unknown account among two others: a list kept',
        allow({ AWS: ['arn:aws:iam::999999999999:root', 'arn:aws:iam::222222222222:root', 'arn:aws:iam::999999999999:role/etl', 'arn:aws:iam::111111111111:root'] }),
        allow({ AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::111111111111:root'] }),
      ],
      ['a service principal beside it: the service kept', allow({ Service: 'ec2.amazonaws.com', AWS: '999999999999' }), allow({ Service: 'ec2.amazonaws.com' })],
      ['"*" limited by aws:SourceAccount: the whole statement', allow('*', { StringEquals: { 'aws:SourceAccount': '999999999999' } }), undefined],
      ['{"AWS":"*"} limited by aws:PrincipalAccount: the whole statement', allow({ AWS: '*' }, { StringEquals: { 'aws:PrincipalAccount': '999999999999' } }), undefined],
    ])('%s', (_name, statement, expected) => {
      expect(withoutAccountPrincipals(statement, UNKNOWN)).toEqual(expected);
    });

    it('does not change the statement it was given', () => {
      const statement = allow({ AWS: ['999999999999', '222222222222'] });
      withoutAccountPrincipals(statement, UNKNOWN);
      expect(statement.Principal).toEqual({ AWS: ['999999999999', '222222222222'] });
    });
  });

  it('withoutUntrustedAccounts keeps trusted, owner, public and Deny statements untouched', () => {
    const statements: PolicyStatement[] = [
      allow({ AWS: `arn:aws:iam::${OWNER}:root` }),
      allow({ AWS: 'arn:aws:iam::222222222222:root' }),
      allow('*'),
      { ...allow({ AWS: '999999999999' }), Effect: 'Deny' },
      allow({ AWS: '999999999999' }),
    ];
    const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
    expect(withoutUntrustedAccounts(document, OWNER, TRUSTED)).toEqual({ Version: '2012-10-17', Statement: statements.slice(0, 4) });
  });

  it('untrustedGrants and describeUntrustedGrants name each statement and its accounts', () => {
    const named = allow({ AWS: ['999999999999', '888888888888'] });
    const unnamed: PolicyStatement = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777777777777:root' }, Action: 'sts:AssumeRole' };
    const document: PolicyDocument = { Statement: [allow({ AWS: '222222222222' }), named, unnamed] };
    const grants = untrustedGrants(document, OWNER, TRUSTED);
    expect(grants).toEqual([
      { statement: named, accounts: ['999999999999', '888888888888'] },
      { statement: unnamed, accounts: ['777777777777'] },
    ]);
    expect(describeUntrustedGrants(document, grants)).toBe('statement "Grant" grants 999999999999, 888888888888; statement #3 grants 777777777777');
    expect(untrustedGrants(undefined, OWNER, TRUSTED)).toEqual([]);
  });
});
