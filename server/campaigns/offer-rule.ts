import { sql, type SQL } from 'drizzle-orm';
import { campaigns, campaignVehicles, finalPhases, type CampaignStatus, type Phase } from '@/db/schema';
import { phaseLiterals } from './phase-sql';

/**
 * "Is this campaign offered to this vehicle now?" — the one rule, in two forms that a test
 * (offer-rule.test.ts) holds to the same answers: an SQL condition for the statements that
 * select (C_05/C_04/C_07 offers, the C_36 and C_03 polls) and a pure function for code that
 * already holds the rows (C_18). A campaign is offered to one of its vehicles while:
 *
 * - the campaign is `Deployed` and inside its time window (start ≤ now < end, each if set);
 * - the vehicle's wave is released;
 * - the vehicle is not blocked by the preconditions (C_05 checks the configuration it is
 *   answering instead, so it asks with `ignoreBlock`);
 * - the vehicle has not finished it: its phase is not final, or it declined and the
 *   campaign's re-offer delay has passed since (the driver is asked again).
 */

/** The facts the rule reads: the campaign's row and the vehicle's membership in it. */
export type OfferFacts = {
  status: CampaignStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  currentWave: number;
  reofferDeclinedAfterHours: number | null;
  phase: Phase;
  wave: number;
  blockedReason: string | null;
  declinedAt: Date | null;
};

/** The columns that hold the rule's facts, for a select over campaigns joined to campaign_vehicles. */
export const offerFactsColumns = {
  status: campaigns.status,
  startsAt: campaigns.startsAt,
  endsAt: campaigns.endsAt,
  currentWave: campaigns.currentWave,
  reofferDeclinedAfterHours: campaigns.reofferDeclinedAfterHours,
  phase: campaignVehicles.phase,
  wave: campaignVehicles.wave,
  blockedReason: campaignVehicles.blockedReason,
  declinedAt: campaignVehicles.declinedAt,
};

/** Each reason the campaign is not offered now (none: it is). */
export type OfferObstacle = 'not-deployed' | 'not-open-yet' | 'closed' | 'wave-not-released' | 'blocked' | 'finished';

export type OfferOptions = {
  /** Leave the recorded precondition verdict out (C_05 checks the configuration it is answering). */
  ignoreBlock?: boolean;
};

const HOUR_MS = 3_600_000;
const cv = campaignVehicles;

// SQL over `campaigns` and `campaign_vehicles`, named as such (not aliased) in the statement.

/** The campaign runs now: deployed and inside its time window. */
export const campaignRunsSql: SQL = sql`(${campaigns.status} = 'Deployed'
  and (${campaigns.startsAt} is null or ${campaigns.startsAt} <= now())
  and (${campaigns.endsAt} is null or ${campaigns.endsAt} > now()))`;

/** Declined, and the campaign's re-offer delay has passed since. */
export const reofferDueSql: SQL = sql`(${cv.phase} = 'declined' and ${campaigns.reofferDeclinedAfterHours} is not null and ${cv.declinedAt} is not null
  and ${cv.declinedAt} <= now() - make_interval(hours => ${campaigns.reofferDeclinedAfterHours}))`;

/** The vehicle has not finished the campaign (a decline past its re-offer delay counts as not finished). */
export const unfinishedSql: SQL = sql`(${cv.phase} not in (${phaseLiterals(finalPhases)}) or ${reofferDueSql})`;

/** The SQL form of the rule: true when the campaign is offered to the vehicle now (never null). */
export function offeredSql(options: OfferOptions = {}): SQL {
  const notBlocked = options.ignoreBlock ? sql`` : sql` and ${cv.blockedReason} is null`;
  return sql`(${campaignRunsSql} and ${cv.wave} <= ${campaigns.currentWave}${notBlocked} and ${unfinishedSql})`;
}

/** Declined, and the campaign's re-offer delay has passed since `declinedAt`. */
export function reofferDue(f: Pick<OfferFacts, 'phase' | 'declinedAt' | 'reofferDeclinedAfterHours'>, now: Date): boolean {
  return f.phase === 'declined' && f.reofferDeclinedAfterHours !== null && f.declinedAt !== null && f.declinedAt.getTime() + f.reofferDeclinedAfterHours * HOUR_MS <= now.getTime();
}

/** Why the campaign is not offered to the vehicle now, every reason in this order (empty: it is offered). */
export function offerObstacles(f: OfferFacts, now: Date): OfferObstacle[] {
  const obstacles: OfferObstacle[] = [];
  if (f.status !== 'Deployed') obstacles.push('not-deployed');
  if (f.startsAt !== null && f.startsAt > now) obstacles.push('not-open-yet');
  if (f.endsAt !== null && f.endsAt <= now) obstacles.push('closed');
  if (f.wave > f.currentWave) obstacles.push('wave-not-released');
  if (f.blockedReason !== null) obstacles.push('blocked');
  if ((finalPhases as readonly Phase[]).includes(f.phase) && !reofferDue(f, now)) obstacles.push('finished');
  return obstacles;
}

/** The pure form of the rule: whether the campaign is offered to the vehicle at `now`. */
export function isOffered(f: OfferFacts, now: Date, options: OfferOptions = {}): boolean {
  return offerObstacles(f, now).every((o) => options.ignoreBlock === true && o === 'blocked');
}
