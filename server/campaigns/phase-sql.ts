import { sql, type SQL } from 'drizzle-orm';
import type { Phase } from '@/db/schema/phases';

/**
 * A constant list of phases as SQL literals, `'completed', 'failed', …` (to put inside
 * `in (…)`): literals, not parameters, so that the planner can match a partial index whose
 * predicate names the same phases.
 */
export const phaseLiterals = (list: readonly Phase[]): SQL => sql.raw(list.map((phase) => `'${phase}'`).join(', '));
