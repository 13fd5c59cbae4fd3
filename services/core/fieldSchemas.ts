import { z } from 'zod';
import { isKnownRegion } from './regions.ts';

/** A 12-digit AWS account id, the same rule for messages, poll tasks and configuration. */
export const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

/** A region this service knows (see regions.ts). */
export const regionSchema = z.string().refine(isKnownRegion, 'is not a known AWS region');
