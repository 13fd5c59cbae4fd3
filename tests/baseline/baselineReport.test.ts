/** The baseline report of a realistic 2-account x 2-region organization, in its three formats. */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryLog } from '../../services/core/log.ts';
import { formatBaselineJson } from '../../services/baseline/baselineJson.ts';
import { formatBaselineMarkdown } from '../../services/baseline/baselineMarkdown.ts';
import { attentionCount, collectBaseline, type BaselineReport } from '../../services/baseline/baselineReport.ts';
import { formatBaselineTable } from '../../services/baseline/baselineTable.ts';
import { makeConfig } from '../helpers/context.ts';
import { ADMIN, GENERATED_AT, PROD, REGIONS, TEAM, organizationWorld } from './world.ts';

/** Read once: the world's Audit Manager without an endpoint costs the SDK's retries. */
let read: BaselineReport;

describe('baseline report', () => {
  beforeAll(async () => {
    const config = makeConfig({ accounts: [PROD, TEAM], regions: REGIONS, guardDutyAdministratorAccount: ADMIN });
    read = await collectBaseline([PROD, TEAM], { config, factory: organizationWorld().factory(), log: memoryLog(), now: GENERATED_AT });
  }, 60_000);

  it('reads every control of every account and region, in order', async () => {
    const { units } = read;
    expect(units.map((u) => `${u.account} ${u.region}: ${u.controls.length}`)).toEqual([
      '111111111111 us-east-1: 13',
      '111111111111 eu-west-1: 13',
      '222222222222 us-east-1: 13',
      '222222222222 eu-west-1: 13',
    ]);
    expect(attentionCount(read)).toBe(10);
  });

  it('table', async () => {
    expect(formatBaselineTable(read)).toMatchInlineSnapshot(`
      "ACCOUNT       REGION     CONTROL                         STATUS          DETAIL
      111111111111  us-east-1  GuardDuty                       enabled         detector b6c1a2d3e4f5a6b7c8d9e0f1a2b3c4d5 enabled, member of 333333333333 (Enabled)
      111111111111  us-east-1  AWS Config                      enabled         recorder default is recording to delivery channel default
      111111111111  us-east-1  CloudTrail                      enabled         multi-region trail org-audit (home us-east-1) is logging with log file validation
      111111111111  us-east-1  VPC flow logs                   enabled         all 1 VPC(s) have an active flow log
      111111111111  us-east-1  EBS default encryption          enabled         EBS encryption by default is on
      111111111111  us-east-1  Security Hub                    enabled         enabled with fsbp
      111111111111  us-east-1  Macie (optional)                enabled         Macie is enabled
      111111111111  us-east-1  Inspector (optional)            disabled        scanning not enabled: ECR (DISABLED)
      111111111111  us-east-1  Audit Manager (optional)        disabled        Audit Manager is inactive
      111111111111  us-east-1  Root MFA                        enabled         the root user has MFA
      111111111111  us-east-1  Root access keys                enabled         the root user has no access keys
      111111111111  us-east-1  Password policy                 enabled         length >= 14, all character classes, reuse prevention 24, max age 90 days
      111111111111  us-east-1  S3 account Public Access Block  enabled         all four account-level flags on
      111111111111  eu-west-1  GuardDuty                       enabled         detector a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5 enabled, member of 333333333333 (Enabled)
      111111111111  eu-west-1  AWS Config                      enabled         recorder default is recording to delivery channel default
      111111111111  eu-west-1  CloudTrail                      enabled         multi-region trail org-audit (home us-east-1) is logging with log file validation
      111111111111  eu-west-1  VPC flow logs                   disabled        1 of 2 VPC(s) have no active flow log: vpc-0prod0euw1b
      111111111111  eu-west-1  EBS default encryption          enabled         EBS encryption by default is on
      111111111111  eu-west-1  Security Hub                    enabled         enabled with fsbp
      111111111111  eu-west-1  Macie (optional)                enabled         Macie is enabled
      111111111111  eu-west-1  Inspector (optional)            enabled         EC2, ECR and Lambda scanning enabled
      111111111111  eu-west-1  Audit Manager (optional)        not applicable  Audit Manager is not available in eu-west-1 (ENOTFOUND: getaddrinfo ENOTFOUND auditmanager.eu-west-…
      111111111111  eu-west-1  Root MFA                        not applicable  account-level control, judged in the home region us-east-1
      111111111111  eu-west-1  Root access keys                not applicable  account-level control, judged in the home region us-east-1
      111111111111  eu-west-1  Password policy                 not applicable  account-level control, judged in the home region us-east-1
      111111111111  eu-west-1  S3 account Public Access Block  not applicable  account-level control, judged in the home region us-east-1
      222222222222  us-east-1  GuardDuty                       disabled        GuardDuty has no detector in 222222222222 us-east-1
      222222222222  us-east-1  AWS Config                      unknown         AccessDeniedException on config:DescribeConfigurationRecorders (add it to the member role)
      222222222222  us-east-1  CloudTrail                      disabled        only single-region trails (team-trail); no multi-region or organization trail
      222222222222  us-east-1  VPC flow logs                   enabled         all 1 VPC(s) have an active flow log
      222222222222  us-east-1  EBS default encryption          disabled        EBS encryption by default is off: new volumes and snapshot copies may be unencrypted
      222222222222  us-east-1  Security Hub                    disabled        Security Hub is not enabled
      222222222222  us-east-1  Macie (optional)                disabled        Macie is not enabled
      222222222222  us-east-1  Inspector (optional)            disabled        scanning not enabled: EC2 (DISABLED), ECR (DISABLED), LAMBDA (DISABLED)
      222222222222  us-east-1  Audit Manager (optional)        enabled         Audit Manager is active
      222222222222  us-east-1  Root MFA                        disabled        the root user has no MFA device (AccountMFAEnabled = 0)
      222222222222  us-east-1  Root access keys                enabled         the root user has no access keys
      222222222222  us-east-1  Password policy                 disabled        no password policy
      222222222222  us-east-1  S3 account Public Access Block  disabled        off or unset: BlockPublicPolicy, RestrictPublicBuckets
      222222222222  eu-west-1  GuardDuty                       enabled         detector c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7 enabled, member of 333333333333 (Enabled)
      222222222222  eu-west-1  AWS Config                      enabled         recorder default is recording to delivery channel default
      222222222222  eu-west-1  CloudTrail                      disabled        no trail covers eu-west-1
      222222222222  eu-west-1  VPC flow logs                   not applicable  no VPCs in the region
      222222222222  eu-west-1  EBS default encryption          enabled         EBS encryption by default is on
      222222222222  eu-west-1  Security Hub                    enabled         enabled with fsbp
      222222222222  eu-west-1  Macie (optional)                enabled         Macie is enabled
      222222222222  eu-west-1  Inspector (optional)            enabled         EC2, ECR and Lambda scanning enabled
      222222222222  eu-west-1  Audit Manager (optional)        enabled         Audit Manager is active
      222222222222  eu-west-1  Root MFA                        not applicable  account-level control, judged in the home region us-east-1
      222222222222  eu-west-1  Root access keys                not applicable  account-level control, judged in the home region us-east-1
      222222222222  eu-west-1  Password policy                 not applicable  account-level control, judged in the home region us-east-1
      222222222222  eu-west-1  S3 account Public Access Block  not applicable  account-level control, judged in the home region us-east-1

      2 account(s) x 2 region(s): 10 required control(s) off or unknown"
    `);
  });

  it('table: status coloured on a terminal', async () => {
    const text = formatBaselineTable(read, { colour: true });
    expect(text).toContain('\u001b[32menabled       \u001b[0m');
    expect(text).toContain('\u001b[31mdisabled      \u001b[0m');
    expect(text).toContain('\u001b[35munknown       \u001b[0m');
  });

  it('json', async () => {
    expect(formatBaselineJson(read)).toMatchInlineSnapshot(`
      "{
        "generatedAt": "2026-11-20T12:00:00.000Z",
        "compliant": false,
        "requiredOffOrUnknown": 10,
        "accounts": {
          "111111111111": {
            "us-east-1": {
              "controls": {
                "guardduty": {
                  "status": "enabled",
                  "required": true,
                  "detail": "detector b6c1a2d3e4f5a6b7c8d9e0f1a2b3c4d5 enabled, member of 333333333333 (Enabled)",
                  "checkId": "region.guardduty_not_enrolled"
                },
                "config": {
                  "status": "enabled",
                  "required": true,
                  "detail": "recorder default is recording to delivery channel default",
                  "checkId": "region.config_not_recording"
                },
                "cloudtrail": {
                  "status": "enabled",
                  "required": true,
                  "detail": "multi-region trail org-audit (home us-east-1) is logging with log file validation",
                  "checkId": "region.cloudtrail_not_logging"
                },
                "vpc_flow_logs": {
                  "status": "enabled",
                  "required": true,
                  "detail": "all 1 VPC(s) have an active flow log",
                  "checkId": "region.vpc_flow_logs_missing"
                },
                "ebs_default_encryption": {
                  "status": "enabled",
                  "required": true,
                  "detail": "EBS encryption by default is on",
                  "checkId": "region.ebs_default_encryption_off"
                },
                "securityhub": {
                  "status": "enabled",
                  "required": true,
                  "detail": "enabled with fsbp",
                  "checkId": "region.securityhub_off"
                },
                "macie": {
                  "status": "enabled",
                  "required": false,
                  "detail": "Macie is enabled",
                  "checkId": "region.macie_off"
                },
                "inspector": {
                  "status": "disabled",
                  "required": false,
                  "detail": "scanning not enabled: ECR (DISABLED)",
                  "checkId": "region.inspector_off"
                },
                "auditmanager": {
                  "status": "disabled",
                  "required": false,
                  "detail": "Audit Manager is inactive",
                  "checkId": "region.auditmanager_off"
                },
                "root_mfa": {
                  "status": "enabled",
                  "required": true,
                  "detail": "the root user has MFA",
                  "checkId": "region.root_mfa_off"
                },
                "root_access_keys": {
                  "status": "enabled",
                  "required": true,
                  "detail": "the root user has no access keys",
                  "checkId": "region.root_access_keys"
                },
                "password_policy": {
                  "status": "enabled",
                  "required": true,
                  "detail": "length >= 14, all character classes, reuse prevention 24, max age 90 days",
                  "checkId": "region.password_policy_weak"
                },
                "s3_account_public_access_block": {
                  "status": "enabled",
                  "required": true,
                  "detail": "all four account-level flags on",
                  "checkId": "region.s3_account_public_access_block_off"
                }
              }
            },
            "eu-west-1": {
              "controls": {
                "guardduty": {
                  "status": "enabled",
                  "required": true,
                  "detail": "detector a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5 enabled, member of 333333333333 (Enabled)",
                  "checkId": "region.guardduty_not_enrolled"
                },
                "config": {
                  "status": "enabled",
                  "required": true,
                  "detail": "recorder default is recording to delivery channel default",
                  "checkId": "region.config_not_recording"
                },
                "cloudtrail": {
                  "status": "enabled",
                  "required": true,
                  "detail": "multi-region trail org-audit (home us-east-1) is logging with log file validation",
                  "checkId": "region.cloudtrail_not_logging"
                },
                "vpc_flow_logs": {
                  "status": "disabled",
                  "required": true,
                  "detail": "1 of 2 VPC(s) have no active flow log: vpc-0prod0euw1b",
                  "checkId": "region.vpc_flow_logs_missing"
                },
                "ebs_default_encryption": {
                  "status": "enabled",
                  "required": true,
                  "detail": "EBS encryption by default is on",
                  "checkId": "region.ebs_default_encryption_off"
                },
                "securityhub": {
                  "status": "enabled",
                  "required": true,
                  "detail": "enabled with fsbp",
                  "checkId": "region.securityhub_off"
                },
                "macie": {
                  "status": "enabled",
                  "required": false,
                  "detail": "Macie is enabled",
                  "checkId": "region.macie_off"
                },
                "inspector": {
                  "status": "enabled",
                  "required": false,
                  "detail": "EC2, ECR and Lambda scanning enabled",
                  "checkId": "region.inspector_off"
                },
                "auditmanager": {
                  "status": "not_applicable",
                  "required": false,
                  "detail": "Audit Manager is not available in eu-west-1 (ENOTFOUND: getaddrinfo ENOTFOUND auditmanager.eu-west-1.amazonaws.com)",
                  "checkId": "region.auditmanager_off"
                },
                "root_mfa": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.root_mfa_off"
                },
                "root_access_keys": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.root_access_keys"
                },
                "password_policy": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.password_policy_weak"
                },
                "s3_account_public_access_block": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.s3_account_public_access_block_off"
                }
              }
            }
          },
          "222222222222": {
            "us-east-1": {
              "controls": {
                "guardduty": {
                  "status": "disabled",
                  "required": true,
                  "detail": "GuardDuty has no detector in 222222222222 us-east-1",
                  "checkId": "region.guardduty_not_enrolled"
                },
                "config": {
                  "status": "unknown",
                  "required": true,
                  "detail": "AccessDeniedException on config:DescribeConfigurationRecorders (add it to the member role)",
                  "checkId": "region.config_not_recording"
                },
                "cloudtrail": {
                  "status": "disabled",
                  "required": true,
                  "detail": "only single-region trails (team-trail); no multi-region or organization trail",
                  "checkId": "region.cloudtrail_not_logging"
                },
                "vpc_flow_logs": {
                  "status": "enabled",
                  "required": true,
                  "detail": "all 1 VPC(s) have an active flow log",
                  "checkId": "region.vpc_flow_logs_missing"
                },
                "ebs_default_encryption": {
                  "status": "disabled",
                  "required": true,
                  "detail": "EBS encryption by default is off: new volumes and snapshot copies may be unencrypted",
                  "checkId": "region.ebs_default_encryption_off"
                },
                "securityhub": {
                  "status": "disabled",
                  "required": true,
                  "detail": "Security Hub is not enabled",
                  "checkId": "region.securityhub_off"
                },
                "macie": {
                  "status": "disabled",
                  "required": false,
                  "detail": "Macie is not enabled",
                  "checkId": "region.macie_off"
                },
                "inspector": {
                  "status": "disabled",
                  "required": false,
                  "detail": "scanning not enabled: EC2 (DISABLED), ECR (DISABLED), LAMBDA (DISABLED)",
                  "checkId": "region.inspector_off"
                },
                "auditmanager": {
                  "status": "enabled",
                  "required": false,
                  "detail": "Audit Manager is active",
                  "checkId": "region.auditmanager_off"
                },
                "root_mfa": {
                  "status": "disabled",
                  "required": true,
                  "detail": "the root user has no MFA device (AccountMFAEnabled = 0)",
                  "checkId": "region.root_mfa_off"
                },
                "root_access_keys": {
                  "status": "enabled",
                  "required": true,
                  "detail": "the root user has no access keys",
                  "checkId": "region.root_access_keys"
                },
                "password_policy": {
                  "status": "disabled",
                  "required": true,
                  "detail": "no password policy",
                  "checkId": "region.password_policy_weak"
                },
                "s3_account_public_access_block": {
                  "status": "disabled",
                  "required": true,
                  "detail": "off or unset: BlockPublicPolicy, RestrictPublicBuckets",
                  "checkId": "region.s3_account_public_access_block_off"
                }
              }
            },
            "eu-west-1": {
              "controls": {
                "guardduty": {
                  "status": "enabled",
                  "required": true,
                  "detail": "detector c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7 enabled, member of 333333333333 (Enabled)",
                  "checkId": "region.guardduty_not_enrolled"
                },
                "config": {
                  "status": "enabled",
                  "required": true,
                  "detail": "recorder default is recording to delivery channel default",
                  "checkId": "region.config_not_recording"
                },
                "cloudtrail": {
                  "status": "disabled",
                  "required": true,
                  "detail": "no trail covers eu-west-1",
                  "checkId": "region.cloudtrail_not_logging"
                },
                "vpc_flow_logs": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "no VPCs in the region",
                  "checkId": "region.vpc_flow_logs_missing"
                },
                "ebs_default_encryption": {
                  "status": "enabled",
                  "required": true,
                  "detail": "EBS encryption by default is on",
                  "checkId": "region.ebs_default_encryption_off"
                },
                "securityhub": {
                  "status": "enabled",
                  "required": true,
                  "detail": "enabled with fsbp",
                  "checkId": "region.securityhub_off"
                },
                "macie": {
                  "status": "enabled",
                  "required": false,
                  "detail": "Macie is enabled",
                  "checkId": "region.macie_off"
                },
                "inspector": {
                  "status": "enabled",
                  "required": false,
                  "detail": "EC2, ECR and Lambda scanning enabled",
                  "checkId": "region.inspector_off"
                },
                "auditmanager": {
                  "status": "enabled",
                  "required": false,
                  "detail": "Audit Manager is active",
                  "checkId": "region.auditmanager_off"
                },
                "root_mfa": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.root_mfa_off"
                },
                "root_access_keys": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.root_access_keys"
                },
                "password_policy": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.password_policy_weak"
                },
                "s3_account_public_access_block": {
                  "status": "not_applicable",
                  "required": true,
                  "detail": "account-level control, judged in the home region us-east-1",
                  "checkId": "region.s3_account_public_access_block_off"
                }
              }
            }
          }
        }
      }"
    `);
  });

  it('markdown', async () => {
    expect(formatBaselineMarkdown(read)).toMatchInlineSnapshot(`
      "## Security baseline

      2026-11-20T12:00:00.000Z: 2 account(s) x 2 region(s): 10 required control(s) off or unknown.

      | control | 111111111111 us-east-1 | 111111111111 eu-west-1 | 222222222222 us-east-1 | 222222222222 eu-west-1 |
      |---|---|---|---|---|
      | GuardDuty | enabled | enabled | **disabled** | enabled |
      | AWS Config | enabled | enabled | **unknown** | enabled |
      | CloudTrail | enabled | enabled | **disabled** | **disabled** |
      | VPC flow logs | enabled | **disabled** | enabled | not applicable |
      | EBS default encryption | enabled | enabled | **disabled** | enabled |
      | Security Hub | enabled | enabled | **disabled** | enabled |
      | Macie (optional) | enabled | enabled | disabled | enabled |
      | Inspector (optional) | disabled | enabled | disabled | enabled |
      | Audit Manager (optional) | disabled | not applicable | enabled | enabled |
      | Root MFA | enabled | not applicable | **disabled** | not applicable |
      | Root access keys | enabled | not applicable | enabled | not applicable |
      | Password policy | enabled | not applicable | **disabled** | not applicable |
      | S3 account Public Access Block | enabled | not applicable | **disabled** | not applicable |

      ### Needs attention

      - 111111111111 eu-west-1, VPC flow logs (\`region.vpc_flow_logs_missing\`): **disabled**: 1 of 2 VPC(s) have no active flow log: vpc-0prod0euw1b
      - 222222222222 us-east-1, GuardDuty (\`region.guardduty_not_enrolled\`): **disabled**: GuardDuty has no detector in 222222222222 us-east-1
      - 222222222222 us-east-1, AWS Config (\`region.config_not_recording\`): **unknown**: AccessDeniedException on config:DescribeConfigurationRecorders (add it to the member role)
      - 222222222222 us-east-1, CloudTrail (\`region.cloudtrail_not_logging\`): **disabled**: only single-region trails (team-trail); no multi-region or organization trail
      - 222222222222 us-east-1, EBS default encryption (\`region.ebs_default_encryption_off\`): **disabled**: EBS encryption by default is off: new volumes and snapshot copies may be unencrypted
      - 222222222222 us-east-1, Security Hub (\`region.securityhub_off\`): **disabled**: Security Hub is not enabled
      - 222222222222 us-east-1, Root MFA (\`region.root_mfa_off\`): **disabled**: the root user has no MFA device (AccountMFAEnabled = 0)
      - 222222222222 us-east-1, Password policy (\`region.password_policy_weak\`): **disabled**: no password policy
      - 222222222222 us-east-1, S3 account Public Access Block (\`region.s3_account_public_access_block_off\`): **disabled**: off or unset: BlockPublicPolicy, RestrictPublicBuckets
      - 222222222222 eu-west-1, CloudTrail (\`region.cloudtrail_not_logging\`): **disabled**: no trail covers eu-west-1"
    `);
  });
});
