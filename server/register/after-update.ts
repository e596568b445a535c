import { and, eq, sql } from 'drizzle-orm';
import { FixedQuery, FixedStatement, type Queryable } from '@/db/client';
import type { CommitTail } from '@/db/hot-transaction';
import { vehicles, type ConfigMismatch, type ExpectedConfig } from '@/db/schema';
import { campaignFiles } from '../campaigns/offer';
import type { EcuResult } from '../events/activation-result';
import { ecuVersions } from '../vehicles/snapshot-diff';
import type { UpdateEffect } from './record-entry';
import { rxswinList } from './expected-rxswin';

const failed = (status: string | null | undefined) => status === 'failure' || status === 'failed';

/**
 * A successful activation (C_24): each ECU the campaign's package targets — and that did not
 * report failure in ecuInfo[] — now runs the package's version, marked "reported by activation"
 * until the vehicle's next configuration upload says what it runs.
 */
export async function applyActivation(db: Queryable, tail: CommitTail, vin: string, campaignId: number, reported: EcuResult[]): Promise<void> {
  const files = await campaignFiles(db, campaignId);
  const byEcu = new Map<string, { id: number; version: string }>();
  for (const f of files) if (!failed(reported.find((r) => r.targetId === f.targetEcu)?.updateStatus)) byEcu.set(f.targetEcu, f);
  for (const [ecuId, f] of byEcu) {
    const manifest = JSON.stringify({ reportedBy: 'activation', campaignId, softwarePackageId: f.id, softwareVersion: f.version });
    tail.add(activatedEcu, { vin, ecuId, version: f.version, manifest });
  }
}

/** applyActivation's row: with the COMMIT, nothing in the notification reads it. */
const activatedEcu = new FixedStatement(
  ['vin', 'ecuId', 'version', 'manifest'],
  (p) => sql`insert into vehicle_ecus (vin, ecu_id, software_version, source, manifest)
    values (${p.vin}::text, ${p.ecuId}::text, ${p.version}::text, 'activation', ${p.manifest}::jsonb)
    on conflict (vin, ecu_id) do update set software_version = excluded.software_version, source = 'activation', reported_at = now()`,
);

/**
 * A completed update: the next configuration upload should show these versions and RXSWIN;
 * C_03 asks for it until then. Written with the COMMIT (`tail`).
 */
export function expectConfiguration(tail: CommitTail, vin: string, campaignId: number, attemptId: string | null, effect: UpdateEffect): void {
  const expected: ExpectedConfig = {
    campaignId,
    attemptId,
    ecus: effect.ecus.filter((e) => e.after !== null && !failed(e.updateStatus)).map((e) => ({ ecuId: e.ecuId, version: e.after! })),
    rxswin: effect.rxswinAfter,
    since: new Date().toISOString(),
  };
  tail.add(setExpectedConfig, { vin, expected: JSON.stringify(expected), askUpload: true, mismatch: null });
}

/** The vehicle's expected configuration, whether C_03 asks for an upload (since now), and the mismatch found. */
const setExpectedConfig = new FixedStatement(
  ['vin', 'expected', 'askUpload', 'mismatch'],
  (p) => sql`update vehicles set expected_config = ${p.expected}::jsonb, config_upload_requested_at = case when ${p.askUpload}::boolean then now() end,
    config_mismatch = ${p.mismatch}::jsonb, updated_at = now() where vin = ${p.vin}::text`,
);

/** What an upload shows that the expected configuration did not lead to expect, in words; empty when it matches. */
export function configDifferences(expected: ExpectedConfig, manifests: unknown[], rxswin: unknown[] | null): string[] {
  const out: string[] = [];
  const reported = ecuVersions(manifests);
  for (const e of expected.ecus) {
    const got = reported.get(e.ecuId);
    if (!got) out.push(`ECU ${e.ecuId}: expected ${e.version}, not reported`);
    else if (got.softwareVersion !== e.version) out.push(`ECU ${e.ecuId}: expected ${e.version}, reported ${got.softwareVersion ?? 'no version'}`);
  }
  if (expected.rxswin !== null) {
    const want = rxswinList(expected.rxswin);
    const have = rxswinList(rxswin);
    if (want.join('\n') !== have.join('\n')) out.push(`RXSWIN: expected ${want.join(', ') || 'none'}, reported ${have.join(', ') || 'none'}`);
  }
  return out;
}

/**
 * A configuration upload after a completed update: confirms the expected versions and RXSWIN,
 * or flags the vehicle "configuration differs from expected" with the differences. Either way
 * C_03 stops asking for an upload.
 */
const expectedConfigOf = new FixedQuery(['vin'], (db, p) =>
  db
    .select({ expected: vehicles.expectedConfig })
    .from(vehicles)
    .where(and(eq(vehicles.vin, p.vin as string), sql`${vehicles.expectedConfig} is not null`)),
);

export async function confirmConfiguration(db: Queryable, tail: CommitTail, vin: string, manifests: unknown[], rxswin: unknown[] | null): Promise<void> {
  const [vehicle] = await expectedConfigOf.run(db, { vin });
  if (!vehicle?.expected) return;
  const differences = configDifferences(vehicle.expected, manifests, rxswin);
  const mismatch: ConfigMismatch | null = differences.length
    ? { campaignId: vehicle.expected.campaignId, attemptId: vehicle.expected.attemptId, differences, detectedAt: new Date().toISOString() }
    : null;
  tail.add(setExpectedConfig, { vin, expected: null, askUpload: false, mismatch: mismatch && JSON.stringify(mismatch) });
}
