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
}

interface CacheEntry {
  credentials: Promise<AwsCredentialIdentity>;
  /** Until when the entry may be used; Infinity while the call is in flight. */
  usableUntil: number;
}

/**
 * Member-account credentials through STS AssumeRole with the ExternalId, on
 * the regional STS endpoint of the first region that asks. One AssumeRole per
 * account per container: callers asking at the same time share the call, and
 * the result is reused until five minutes before it expires. Sharing this
 * cache across invocations is correct: it holds credentials only.
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
    const cached = this.cache.get(account);
    if (cached && cached.usableUntil > this.now()) return cached.credentials;
    const entry: CacheEntry = { credentials: this.assume(account, region), usableUntil: Number.POSITIVE_INFINITY };
    this.cache.set(account, entry);
    entry.credentials.then(
      (credentials) => {
        const expiry = credentials.expiration?.getTime() ?? this.now() + SESSION_DURATION_SECONDS * 1000;
        entry.usableUntil = expiry - REFRESH_BEFORE_EXPIRY_MS;
      },
      () => {
        if (this.cache.get(account) === entry) this.cache.delete(account);
      },
    );
    return entry.credentials;
  }

  private async assume(account: string, region: string): Promise<AwsCredentialIdentity> {
    const roleArn = this.roleArn(account, region);
    const sts = new STSClient({ region, maxAttempts: this.settings.maxAttempts });
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
      throw new AssumeRoleError(account, roleArn, error);
    } finally {
      sts.destroy();
    }
  }
}
