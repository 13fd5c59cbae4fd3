import type { ConfigInput } from '../../services/core/config.ts';
import { everyPostureControlOn } from '../fixtures/regionPosture.ts';

/** Every posture control a finding when off, and every enablement on, delivering to the sandbox's acme-* buckets. */
export const EVERY_ENABLEMENT_ON: Partial<ConfigInput> = everyPostureControlOn({ trail: 'acme-cloudtrail', config: 'acme-config', flowLogs: 'acme-flow-logs' });
