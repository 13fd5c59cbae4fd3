import type { ClientFactory } from '../../services/core/clientFactory.ts';
import type { Log } from '../../services/core/log.ts';
import type { BrakeStore } from '../../services/remediator/brakeStore.ts';
import { MemoryBrakeStore } from '../../services/remediator/memoryBrakeStore.ts';
import { OrganizationBrake } from '../../services/remediator/organizationBrake.ts';
import { REGION } from './context.ts';

/** An organization-wide brake for an AuditRun built by hand: in memory, default limit 50, no alarms topic. */
export function makeBrake(factory: ClientFactory, log: Log, options: { limit?: number; store?: BrakeStore; alarmsTopicArn?: string } = {}): OrganizationBrake {
  return new OrganizationBrake({
    store: options.store ?? new MemoryBrakeStore(),
    limit: options.limit ?? 50,
    security: factory.forSecurityAccount(REGION),
    log,
    ...(options.alarmsTopicArn ? { alarmsTopicArn: options.alarmsTopicArn } : {}),
  });
}
