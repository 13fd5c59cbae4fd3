import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_FLAGS_HELP } from '../../services/core/cliConfig.ts';
import { defaultUnitConcurrency, environmentVariableOf, loadConfig, UNITS_PER_CPU } from '../../services/core/config.ts';
import { ConfigError } from '../../services/core/errors.ts';

function configFile(content: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'config-')), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('configuration', () => {
  it('defaults: dry run, us-east-1, home region = first region, no exceptions', () => {
    const config = loadConfig({ env: {} });
    expect(config.remediate).toBe(false);
    expect(config.regions).toEqual(['us-east-1']);
    expect(config.homeRegion).toBe('us-east-1');
    expect(config.exceptions).toEqual([]);
    expect(config.requiredTags).toEqual([]);
    expect(config.maxRemediationsPerRun).toBe(25);
    expect(config.accounts).toBeUndefined();
  });

  it('precedence: flag > environment > file > default', () => {
    const file = configFile({ regions: ['eu-west-1'], memberRoleName: 'FromFile', externalId: 'from-file', maxRemediationsPerRun: 3 });
    const config = loadConfig({
      file,
      env: { MEMBER_ROLE_NAME: 'FromEnv', EXTERNAL_ID: 'from-env' },
      flags: { externalId: 'from-flag' },
    });
    expect(config.regions).toEqual(['eu-west-1']);
    expect(config.memberRoleName).toBe('FromEnv');
    expect(config.externalId).toBe('from-flag');
    expect(config.maxRemediationsPerRun).toBe(3);
    expect(config.homeRegion).toBe('eu-west-1');
  });

  it('CONFIG_FILE in the environment names the file', () => {
    const file = configFile({ accounts: ['111111111111'] });
    expect(loadConfig({ env: { CONFIG_FILE: file } }).accounts).toEqual(['111111111111']);
  });

  it('parses environment text into typed values', () => {
    const config = loadConfig({
      env: {
        ACCOUNTS: '111111111111, 222222222222',
        REGIONS: 'us-east-1,eu-west-1',
        REMEDIATE: 'true',
        MAX_REMEDIATIONS_PER_RUN: '5',
        EXCEPTIONS: '[{"type":"s3_bucket","id":"public-website","reason":"static site"}]',
        ALLOWED_INGRESS_PORTS: '443,8443',
      },
    });
    expect(config.accounts).toEqual(['111111111111', '222222222222']);
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.remediate).toBe(true);
    expect(config.maxRemediationsPerRun).toBe(5);
    expect(config.exceptions).toEqual([{ type: 's3_bucket', id: 'public-website', reason: 'static site' }]);
    expect(config.allowedIngressPorts).toEqual([443, 8443]);
  });

  it('ACCOUNTS=organization means discovery through AWS Organizations', () => {
    expect(loadConfig({ env: { ACCOUNTS: 'organization' } }).accounts).toBe('organization');
  });

  it('an empty REMEDIATE is not "on"', () => {
    expect(loadConfig({ env: { REMEDIATE: '' } }).remediate).toBe(false);
  });

  it.each([
    [{ REMEDIATE: 'maybe' }, 'remediate (REMEDIATE)'],
    [{ ACCOUNTS: '1234' }, 'accounts.0 (ACCOUNTS): must be a 12-digit AWS account id'],
    [{ REGIONS: 'us-east-1,moon-1' }, 'regions.1 (REGIONS): is not a known AWS region'],
    [{ REGIONS: 'us-east-1', HOME_REGION: 'eu-west-1' }, 'homeRegion (HOME_REGION): must be one of the configured regions'],
    [{ MAX_REMEDIATIONS_PER_RUN: 'lots' }, 'maxRemediationsPerRun (MAX_REMEDIATIONS_PER_RUN)'],
    [{ EXCEPTIONS: '{not json' }, 'exceptions (EXCEPTIONS)'],
    [{ EXCEPTIONS: '[{"reason":"no selector"}]' }, 'an exception must set at least one of checkId, account, type, id'],
    [{ EXCEPTIONS: '[{"type":"bucket"}]' }, 'exceptions.0.type'],
    [{ NOTIFICATIONS_TOPIC_ARN: 'my-topic' }, 'notificationsTopicArn (NOTIFICATIONS_TOPIC_ARN)'],
  ])('names the key, the variable and the bad value: %o', (env, expected) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(expected);
  });

  it('an unknown key in a config file is an error, not silently ignored', () => {
    const file = configFile({ remediation: true });
    expect(() => loadConfig({ file, env: {} })).toThrow('remediation');
  });

  it('a missing config file is a clear error', () => {
    expect(() => loadConfig({ file: '/nonexistent/config.json', env: {} })).toThrow('cannot read config file /nonexistent/config.json');
  });

  it('deployed functions must know their accounts', () => {
    expect(() => loadConfig({ env: {}, requireAccounts: true })).toThrow('accounts (ACCOUNTS): required');
  });
});

describe('environment variable names, derived from the keys', () => {
  it.each([
    ['memberRoleName', 'MEMBER_ROLE_NAME'],
    ['maxRemediationsPerRun', 'MAX_REMEDIATIONS_PER_RUN'],
    ['enableS3AccountPublicAccessBlock', 'ENABLE_S3_ACCOUNT_PUBLIC_ACCESS_BLOCK'],
    ['guardDutyRegions', 'GUARDDUTY_REGIONS'],
    ['enableCloudTrail', 'ENABLE_CLOUDTRAIL'],
    ['pagerDutyEventsUrl', 'PAGERDUTY_EVENTS_URL'],
  ])('%s -> %s', (key, variable) => {
    expect(environmentVariableOf(key)).toBe(variable);
  });
});

describe('default unit concurrency', () => {
  it.each([
    [1, 12],
    [2, 24],
    [4, 48],
    [6, 64],
    [16, 64],
    [0, 8],
  ])('%i CPU(s): %i units at once', (cpus, expected) => {
    expect(defaultUnitConcurrency(cpus)).toBe(expected);
  });

  it("is what the CLIs' --help says", () => {
    expect(COMMON_FLAGS_HELP).toContain(`(default ${UNITS_PER_CPU} per CPU, 8 to 64: ${defaultUnitConcurrency()} here)`);
  });

  it('is the default, and CONCURRENCY overrides it', () => {
    expect(loadConfig({ env: {} }).concurrency).toBe(defaultUnitConcurrency());
    expect(loadConfig({ env: { CONCURRENCY: '5' } }).concurrency).toBe(5);
  });
});
