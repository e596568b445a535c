import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import type { Role } from '@/db/schema';
import { getDb } from '../db';
import { makeDeployedCampaign, makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';
import { createRegisterExportHandler } from './export-endpoint';
import { registerCsvHeader } from './search-register';

const event = (eventsType: string, status: string, attemptId: string, extra: Record<string, unknown> = {}) => ({
  eventsUuid: randomUUID().replaceAll('-', ''),
  eventsType,
  eventMode: 'active',
  currentTime: { time: Math.floor(Date.now() / 1000), clockSource: 'default' },
  status,
  attemptId,
  ...extra,
});

/** One whole update, as the vehicle would report it: C_05, consent, activation, completion (or a rejection). */
async function runUpdate(vin: string, rxswin: string, outcome: 'completed' | 'declined') {
  const attemptId = `a-${randomUUID().slice(0, 8)}`;
  const config = await postJson('/api/ota/v1/config', {
    signed: { vin, primaryId: '0', ecuVersionManifests: [{ ecuId: '1', softwareVersion: '1.0.0' }], augmentedManifest: { attemptId, rxswin: [rxswin], locale: 'ja-JP', packageStorage: { available: 4096 } } },
  });
  expect(config.status).toBe(200);
  const list =
    outcome === 'declined'
      ? [event('notification', 'rejected', attemptId)]
      : [event('notification', 'accepted', attemptId), event('activate', 'success', attemptId), event('updateComplete', 'success', attemptId)];
  for (const e of list) expect((await postJson('/api/ota/v1/notification', { signed: { vin, primaryId: '0', events: [e] } })).status).toBe(200);
  return attemptId;
}

const as = (role: Role | null) => async () => (role ? { id: 1, email: `${role}@test.example`, name: '', role } : null);

describe('the Compliance page: search, export and the campaign report', () => {
  let vins: string[];
  let campaignId: number;
  const tag = `RX${randomUUID().slice(0, 6).toUpperCase()}`;

  beforeAll(async () => {
    const db = await getDb();
    vins = await makeVehicles(db, 3);
    const made = await makeDeployedCampaign(db, vins, {
      size: 1000,
      packageRxswin: `${tag}-NEW`,
      requiresConsent: true,
      hmiTexts: { en: { title: 'Update', body: 'Fixes.' }, ja: { title: '更新', body: '修正。' } },
      preconditions: { ecus: [], minFreeStorageMb: 0 },
    });
    campaignId = made.campaign.id;
    await runUpdate(vins[0]!, `${tag}-OLD`, 'completed');
    await runUpdate(vins[1]!, `${tag}-OLD`, 'declined');
  });

  it('support finds register rows by VIN, campaign, RXSWIN (before or after) and date range', async () => {
    const support = await callerAs('support');
    const byCampaign = await support.register.search({ filter: { campaignId } });
    expect(byCampaign.total).toBe(2);
    expect(byCampaign.rows.map((r) => r.outcome).sort()).toEqual(['completed', 'declined']);
    const byVin = await support.register.search({ filter: { vin: vins[0]!.slice(2, 12).toLowerCase() } });
    expect(byVin.rows.map((r) => r.vin)).toEqual([vins[0]]);
    expect((await support.register.search({ filter: { rxswin: `${tag}-new` } })).rows.map((r) => r.vin)).toEqual([vins[0]]);
    expect((await support.register.search({ filter: { rxswin: `${tag}-OLD` } })).total).toBe(2);
    const today = new Date().toISOString().slice(0, 10);
    expect((await support.register.search({ filter: { campaignId, from: today, to: today } })).total).toBe(2);
    expect((await support.register.search({ filter: { campaignId, to: '2000-01-01' } })).total).toBe(0);
    await expect(support.register.search({ filter: { from: '2026-02-31' } })).rejects.toThrow(/calendar date/);
  });

  it('exports what is shown as CSV and JSON, streamed, and audits each export', async () => {
    const handler = createRegisterExportHandler(as('support'));
    const csv = await handler(new Request(`http://ota.test/api/register/export?format=csv&campaignId=${campaignId}&outcome=completed`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(registerCsvHeader.join(','));
    expect(lines).toHaveLength(2);
    const cells = Object.fromEntries(registerCsvHeader.map((h, i) => [h, lines[1]!.split(',')[i]]));
    expect(cells).toMatchObject({ vin: vins[0], outcome: 'completed', rxswin_before: `${tag}-OLD`, rxswin_after: `${tag}-NEW`, consent_answer: 'accepted', hmi_locale: 'ja', compatibility_status: 'ok' });
    expect(cells.ecu_versions).toMatch(/^1: 1\.0\.0 -> 1\.1000\.0/);

    const json = await handler(new Request(`http://ota.test/api/register/export?format=json&campaignId=${campaignId}`));
    const rows = (await json.json()) as { vin: string; ecus: { before: string; after: string }[] }[];
    expect(rows.map((r) => r.vin).sort()).toEqual([vins[0], vins[1]].sort());

    const [audit] = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, 'register.export')).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ actorEmail: 'support@test.example', details: { format: 'json', filter: { campaignId } } });
  });

  it('answers 401 without a session and 400 for an unknown format or filter, writing no audit row', async () => {
    const db = await getDb();
    const before = (await db.select().from(auditLog).where(eq(auditLog.action, 'register.export'))).length;
    expect((await createRegisterExportHandler(as(null))(new Request('http://ota.test/api/register/export'))).status).toBe(401);
    const bad = await createRegisterExportHandler(as('support'))(new Request('http://ota.test/api/register/export?format=xml'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/csv or json/);
    expect((await createRegisterExportHandler(as('support'))(new Request('http://ota.test/api/register/export?from=yesterday'))).status).toBe(400);
    expect((await db.select().from(auditLog).where(eq(auditLog.action, 'register.export'))).length).toBe(before);
  });

  it('the campaign report has targets, consent, outcomes and the software before and after', async () => {
    const report = await (await callerAs('support')).register.campaignReport({ id: campaignId });
    expect(report.targets.total).toBe(3);
    expect(report.outcomes.sort((a, b) => a.outcome.localeCompare(b.outcome))).toEqual([
      { outcome: 'completed', count: 1 },
      { outcome: 'declined', count: 1 },
    ]);
    expect(report.consent).toMatchObject({ accepted: 1, rejected: 1, unanswered: 0 });
    expect(report.consent.hmiTextVersions).toEqual([{ locale: 'ja', version: expect.stringMatching(/^[0-9a-f]{16}$/), count: 2 }]);
    expect(report.transitions).toContainEqual({ ecuId: '1', before: '1.0.0', after: '1.1000.0', outcome: 'completed', count: 1 });
    expect(report.rxswin).toContainEqual({ before: `${tag}-OLD`, after: `${tag}-NEW`, count: 1 });
    expect(report.vehiclePackage.rxswin).toBe(`${tag}-NEW`);
  });
});
