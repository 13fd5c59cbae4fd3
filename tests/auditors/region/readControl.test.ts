/** Reading a control: what makes it not applicable, unknown, or a retry; and when a status is a finding. */
import { describe, expect, it } from 'vitest';
import type { RegionControl } from '../../../auditors/region/control.ts';
import { controlReport, readControl, violationOf, type ControlReport } from '../../../auditors/region/readControl.ts';
import { ACCOUNT, awsError, makeCheckContext, makeConfig, makeResourceContext } from '../../helpers/context.ts';

function control(collect: () => Promise<boolean>, overrides: Partial<RegionControl<boolean>> = {}): RegionControl<boolean> {
  return {
    key: 'demo',
    check: 'demo_off',
    label: 'Demo service',
    level: 'region',
    title: 'Demo service is off',
    severity: 'medium',
    rationale: 'A control for the tests of readControl.',
    controls: { none: 'a control of the tests only, in no framework' },
    reads: 'GetDemo',
    permissions: ['demo:GetDemo', 'demo:ListDemos'],
    triggers: [],
    collect,
    judge: (on) => (on ? { status: 'enabled', detail: 'on' } : { status: 'disabled', detail: 'off' }),
    ...overrides,
  };
}

const denied = (message: string) => awsError('AccessDeniedException', 403, message);
const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND demo.ap-east-2.amazonaws.com'), { code: 'ENOTFOUND' });

describe('readControl', () => {
  it.each([
    ['a reading', async () => true, { outcome: 'read', value: true }],
    [
      'AccessDenied naming the action',
      async () => {
        throw denied('User: arn:aws:sts::111111111111:assumed-role/ComplianceAuditorMemberRole/remediator is not authorized to perform: demo:GetDemo because no identity-based policy allows the demo:GetDemo action');
      },
      { outcome: 'unknown', detail: 'AccessDeniedException on demo:GetDemo (add it to the member role)' },
    ],
    [
      'UnauthorizedOperation without the action',
      async () => {
        throw awsError('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.');
      },
      { outcome: 'unknown', detail: 'UnauthorizedOperation on one of demo:GetDemo, demo:ListDemos (add them to the member role)' },
    ],
    [
      'credentials refused',
      async () => {
        throw awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
      },
      { outcome: 'unknown', detail: "UnrecognizedClientException: the member role's credentials are refused here (is the region enabled for the account?)" },
    ],
    [
      'any other client error',
      async () => {
        throw awsError('ValidationException', 400, 'bad input');
      },
      { outcome: 'unknown', detail: 'ValidationException: bad input' },
    ],
    [
      'no endpoint in the region',
      async () => {
        throw notFound;
      },
      { outcome: 'not_applicable', detail: 'Demo service is not available in us-east-1 (ENOTFOUND: getaddrinfo ENOTFOUND demo.ap-east-2.amazonaws.com)' },
    ],
    [
      'not subscribed (OptInRequired)',
      async () => {
        throw awsError('OptInRequired', 403, 'You are not subscribed to this service.');
      },
      { outcome: 'not_applicable', detail: 'Demo service is not available in us-east-1 (OptInRequired: You are not subscribed to this service.)' },
    ],
  ])('%s', async (_name, collect, expected) => {
    // Act
    const reading = await readControl(control(collect), makeResourceContext(''));
    // Assess
    expect(reading).toEqual(expected);
  });

  it.each([
    ['ThrottlingException', awsError('ThrottlingException', 400, 'Rate exceeded')],
    ['a server error', awsError('InternalServerError', 500, 'internal')],
  ])('throws %s, so the message is retried', async (_name, error) => {
    await expect(readControl(control(() => Promise.reject(error)), makeResourceContext(''))).rejects.toBe(error);
  });

  it('does not read an account-level control outside the home region', async () => {
    // Prepare
    let calls = 0;
    const accountLevel = control(
      async () => {
        calls += 1;
        return true;
      },
      { level: 'account' },
    );
    // Act
    const elsewhere = await readControl(accountLevel, makeResourceContext('', { region: 'eu-west-1' }));
    const home = await readControl(accountLevel, makeResourceContext('', { region: 'us-east-1' }));
    // Assess
    expect(elsewhere).toEqual({ outcome: 'not_applicable', detail: 'account-level control, judged in the home region us-east-1' });
    expect(home).toEqual({ outcome: 'read', value: true });
    expect(calls).toBe(1);
  });
});

describe('controlReport and violationOf', () => {
  const base = { key: 'demo', checkId: 'region.demo_off', label: 'Demo service', level: 'region' } as const;

  it.each([
    ['enabled', { outcome: 'read', value: true } as const, { status: 'enabled', detail: 'on' }, undefined],
    ['disabled', { outcome: 'read', value: false } as const, { status: 'disabled', detail: 'off' }, { detail: 'off' }],
    ['unknown', { outcome: 'unknown', detail: 'AccessDenied on demo:GetDemo (add it to the member role)' } as const, { status: 'unknown', detail: 'AccessDenied on demo:GetDemo (add it to the member role)' }, { detail: 'unknown: AccessDenied on demo:GetDemo (add it to the member role)' }],
    ['not applicable', { outcome: 'not_applicable', detail: 'Demo service is not available in us-east-1' } as const, { status: 'not_applicable', detail: 'Demo service is not available in us-east-1' }, undefined],
  ])('required, %s', (_name, reading, expected, violation) => {
    // Act
    const report = controlReport(control(async () => true), reading, makeCheckContext(''));
    // Assess
    expect(report).toEqual({ ...base, required: true, ...expected });
    expect(violationOf(report)).toEqual(violation);
  });

  it('a control that is not required is reported, never a finding', () => {
    const optional = control(async () => true, { required: (config) => config.macieRequired });
    const off = controlReport(optional, { outcome: 'read', value: false }, makeCheckContext(''));
    const unknown = controlReport(optional, { outcome: 'unknown', detail: 'AccessDenied' }, makeCheckContext(''));
    expect(off).toMatchObject({ required: false, status: 'disabled' });
    expect([violationOf(off), violationOf(unknown)]).toEqual([undefined, undefined]);
    const required = controlReport(optional, { outcome: 'read', value: false }, makeCheckContext('', { config: makeConfig({ macieRequired: true }) }));
    expect(violationOf(required)).toEqual({ detail: 'off' });
  });

  it('judges an account-level control outside the home region as not applicable, even with a reading', () => {
    const report: ControlReport = controlReport(control(async () => false, { level: 'account' }), { outcome: 'read', value: false }, makeCheckContext('', { account: ACCOUNT, region: 'eu-west-1' }));
    expect(report).toMatchObject({ status: 'not_applicable', detail: 'account-level control, judged in the home region us-east-1' });
    expect(violationOf(report)).toBeUndefined();
  });
});
