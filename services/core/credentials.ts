import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AssumeRoleError } from './errors.ts';
import { partitionOf } from './regions.ts';

/** Refresh this long before the credentials expire. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
export const SESSION_DURATION_SECONDS = 3600;

export interface MemberRoleSettings {
  memberRoleName: string;
  externalId?: string;
  maxAttempts: number;
  /** Added to the error when AssumeRole fails: what to check for this role (the remediation role's RemediationLevel). */
  whenRefused?: string;
  /** Called with each STS client made (tests inject faults through its middleware). */
  instrument?: (client: STSClient, account: string, region: string) => void;
}

interface CacheEntry {
  credentials: Promise<AwsCredentialIdentity>;
  /** Until when the entry may be used; Infinity while the call is in flight. */
  usableUntil: number;
}

/**
 * Member-account credentials through STS AssumeRole with the ExternalId, on
 * the regional STS endpoint of the region that asks. One AssumeRole per
 * (account, region) per container: callers asking at the same time share the
 * call, and the result is reused until five minutes before it expires. The
 * key holds the region because the regional STS endpoint of a disabled opt-in
 * region refuses the call while every other region's succeeds: one region's
 * failure must never become another's. A failed call is not cached.
 * Sharing this cache across invocations is correct: it holds credentials only.
 */
export class MemberCredentials {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly settings: MemberRoleSettings;
  private readonly now: () => number;

  constructor(settings: MemberRoleSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.now = now;
  }

  roleArn(account: string, region: string): string {
    return `arn:${partitionOf(region)}:iam::${account}:role/${this.settings.memberRoleName}`;
  }

  get(account: string, region: string): Promise<AwsCredentialIdentity> {
    const key = `${account}/${region}`;
    const cached = this.cache.get(key);
    if (cached && cached.usableUntil > this.now()) return cached.credentials;
    const entry: CacheEntry = { credentials: this.assume(account, region), usableUntil: Number.POSITIVE_INFINITY };
    this.cache.set(key, entry);
    entry.credentials.then(
      (credentials) => {
        const expiry = credentials.expiration?.getTime() ?? this.now() + SESSION_DURATION_SECONDS * 1000;
        entry.usableUntil = expiry - REFRESH_BEFORE_EXPIRY_MS;
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    return entry.credentials;
  }

  private async assume(account: string, region: string): Promise<AwsCredentialIdentity> {
    const roleArn = this.roleArn(account, region);
    const sts = new STSClient({ region, maxAttempts: this.settings.maxAttempts });
    this.settings.instrument?.(sts, account, region);
    try {
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'compliance-auditor',
          ExternalId: this.settings.externalId,
          DurationSeconds: SESSION_DURATION_SECONDS,
        }),
      );
      if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
        throw new Error('AssumeRole returned no credentials');
      }
      return {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
        sessionToken: Credentials.SessionToken,
        expiration: Credentials.Expiration,
      };
    } catch (error) {
      const failure = new AssumeRoleError(account, roleArn, error, region);
      if (this.settings.whenRefused) failure.message = `${failure.message}. ${this.settings.whenRefused}`;
      throw failure;
    } finally {
      sts.destroy();
    }
  }
}
