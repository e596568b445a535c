import { z } from 'zod';

/** `{id}` of a path: a positive integer. */
export const idParams = z.object({ id: z.coerce.number().int().positive().describe('The id') });
/** `{vin}` of a path. */
export const vinParams = z.object({ vin: z.string().trim().min(1).max(64).describe('The vehicle identification number') });
