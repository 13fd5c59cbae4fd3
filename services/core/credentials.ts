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
  /**
   * The region whose STS endpoint issues every account's credentials (the
   * home region); a region of another partition asks its own. Unset: the
   * region that asks first.
   */
  homeRegion?: string;
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
 * a regional STS endpoint. One AssumeRole per account (and role) per
 * container, shared by all its regions: session tokens from a regional STS
 * endpoint are valid in every region of the partition, opt-in regions
 * included (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html),
 * so they come from the home region's STS (a region of another partition
 * asks its own), and a region whose own STS is deactivated is still audited.
 * Callers asking at the same time share the call, and the result is reused
 * until five minutes before it expires. A failed call is not cached.
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

  /** The region whose STS endpoint is asked for credentials used in `region`. */
  stsRegionFor(region: string): string {
    const home = this.settings.homeRegion;
    return home !== undefined && partitionOf(home) === partitionOf(region) ? home : region;
  }

  roleArn(account: string, region: string): string {
    return `arn:${partitionOf(region)}:iam::${account}:role/${this.settings.memberRoleName}`;
  }

  /** Credentials for a client acting in `region` of `account`. */
  get(account: string, region: string): Promise<AwsCredentialIdentity> {
    const stsRegion = this.stsRegionFor(region);
    const key = `${account}/${stsRegion}`;
    const cached = this.cache.get(key);
    if (cached && cached.usableUntil > this.now()) return cached.credentials;
    this.forgetExpired();
    const entry: CacheEntry = { credentials: this.assume(account, stsRegion), usableUntil: Number.POSITIVE_INFINITY };
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

  /** Expired entries go, so a container that audits thousands of accounts keeps only live credentials. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.cache) if (entry.usableUntil <= now) this.cache.delete(key);
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
