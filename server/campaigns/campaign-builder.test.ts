import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, campaigns, campaignVehicles, vehicleEcus } from '@/db/schema';
import { getDb } from '../db';
import { defaultReproPolicy } from './lifecycle';
import { makePackage, makeVehicles, uniqueVin } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import type { CampaignDraftInput as CampaignDraft } from './draft-schema';

const tag = () => randomUUID().slice(0, 8);

async function draft(overrides: Partial<CampaignDraft> = {}): Promise<CampaignDraft> {
  const { vehiclePackage } = await makePackage(await getDb(), 1024);
  return {
    name: `Builder ${tag()}`,
    description: 'Fixes the charging limit',
    vehiclePackageId: vehiclePackage.id,
    priority: 3,
    reproPolicy: { consent: 'install', maxRetries: 2, transports: ['wifi'], minFreeStorageMb: 500 },
    requiresConsent: true,
    hmiTexts: [
      { locale: 'en', title: 'Update ready', body: 'Install tonight.' },
      { locale: 'ja-JP', title: '更新', body: '今夜インストールします。' },
    ],
    defaultLocale: 'en',
    startsAt: new Date('2030-01-01T09:00:00Z'),
    endsAt: new Date('2030-02-01T09:00:00Z'),
    target: { vins: [], filter: null },
    ...overrides,
  };
}

describe('targeting vehicles for a campaign', () => {
  it('counts the vehicles matching model, region and an ECU’s installed version', async () => {
    const db = await getDb();
    const model = `Model ${tag()}`;
    const jp = await makeVehicles(db, 3, { model, region: 'JP' });
    const eu = await makeVehicles(db, 2, { model, region: 'EU' });
    await makeVehicles(db, 1, { model: `Other ${tag()}`, region: 'JP' });
    const ecu = `ECU-${tag()}`;
    await db.insert(vehicleEcus).values([
      { vin: jp[0]!, ecuId: ecu, softwareVersion: '1.0.0', manifest: {} },
      { vin: jp[1]!, ecuId: ecu, softwareVersion: '1.0.0', manifest: {} },
      { vin: jp[2]!, ecuId: ecu, softwareVersion: '1.1.0', manifest: {} },
      { vin: eu[0]!, ecuId: ecu, softwareVersion: '1.0.0', manifest: {} },
    ]);
    const support = await callerAs('support');
    expect(await support.campaigns.matchCount({ model })).toMatchObject({ count: 5 });
    expect(await support.campaigns.matchCount({ model, region: 'JP' })).toMatchObject({ count: 3 });
    expect(await support.campaigns.matchCount({ ecuId: ecu })).toMatchObject({ count: 4 });
    const onOld = await support.campaigns.matchCount({ model, region: 'JP', ecuId: ecu, softwareVersion: '1.0.0' });
    expect(onOld).toEqual({ count: 2, sample: [jp[0], jp[1]].sort() });
    expect(await support.campaigns.matchCount({ ecuId: ecu, softwareVersion: '9.9.9' })).toMatchObject({ count: 0 });
    await expect(support.campaigns.matchCount({ softwareVersion: '1.0.0' })).rejects.toThrow(/Choose the ECU/);

    const options = await support.campaigns.filterOptions();
    expect(options.models).toContain(model);
    expect(options.ecus).toContainEqual({ ecuId: ecu, versions: ['1.0.0', '1.1.0'] });
  });

  it('lists unknown VINs back before saving', async () => {
    const [known] = await makeVehicles(await getDb(), 1);
    const stranger = uniqueVin('X');
    expect(await (await callerAs('operator')).campaigns.checkVins({ vins: [known!, stranger, known!] })).toEqual({ unknown: [stranger], known: 1 });
  });
});

describe('saving a campaign draft', () => {
  it('stores the draft with its form fields, the pasted and filtered vehicles, and an audit row', async () => {
    const db = await getDb();
    const region = `R-${tag()}`;
    const filtered = await makeVehicles(db, 2, { region });
    const [pasted] = await makeVehicles(db, 1);
    const operator = await callerAs('operator');
    const input = await draft({ target: { vins: [pasted!, filtered[0]!], filter: { region } } });
    const created = await operator.campaigns.create(input);
    expect(created.vehicleCount).toBe(3);

    const campaign = await operator.campaigns.get({ id: created.id });
    expect(campaign).toMatchObject({
      status: 'Draft',
      priority: 3,
      requiresConsent: true,
      reproPolicy: { consent: 'install', maxRetries: 2, transports: ['wifi'], minFreeStorageMb: 500 },
      defaultLocale: 'en',
      startsAt: new Date('2030-01-01T09:00:00Z'),
      counts: expect.objectContaining({ queued: 3, total: 3 }),
    });
    expect(campaign.hmiTexts).toEqual(input.hmiTexts);
    const members = await db.select({ vin: campaignVehicles.vin }).from(campaignVehicles).where(eq(campaignVehicles.campaignId, created.id));
    expect(members.map((m) => m.vin).sort()).toEqual([pasted!, ...filtered].sort());
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'campaign.create'), eq(auditLog.entityId, String(created.id))));
    expect(audit).toEqual([expect.objectContaining({ details: expect.objectContaining({ vehicles: 3, pastedVins: 2 }) })]);
  });

  it('refuses unknown VINs with their names and stores nothing', async () => {
    const db = await getDb();
    const [known] = await makeVehicles(db, 1);
    const strangers = [uniqueVin('X'), uniqueVin('X')];
    const input = await draft({ target: { vins: [known!, ...strangers], filter: null } });
    await expect((await callerAs('operator')).campaigns.create(input)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: `2 VIN(s) are not registered: ${strangers.join(', ')}` });
    expect(await db.select().from(campaigns).where(eq(campaigns.name, input.name))).toEqual([]);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.action, 'campaign.create'), eq(auditLog.entityType, 'campaign')))).not.toContainEqual(
      expect.objectContaining({ details: expect.objectContaining({ name: input.name }) }),
    );
  });

  it('says what is wrong with a form: no targets, a filter matching nothing, a default locale without text, an end before the start', async () => {
    const operator = await callerAs('operator');
    await expect(operator.campaigns.create(await draft())).rejects.toThrow(/Choose the target vehicles/);
    await expect(operator.campaigns.create(await draft({ target: { vins: [], filter: { model: `None ${tag()}` } } }))).rejects.toThrow(/The filter matches no vehicle/);
    const [vin] = await makeVehicles(await getDb(), 1);
    await expect(operator.campaigns.create(await draft({ defaultLocale: 'de', target: { vins: [vin!], filter: null } }))).rejects.toThrow(/default locale de has no HMI text/);
    await expect(
      operator.campaigns.create(await draft({ startsAt: new Date('2030-02-01'), endsAt: new Date('2030-01-01'), target: { vins: [vin!], filter: null } })),
    ).rejects.toThrow(/end time must be after the start time/);
    await expect(
      operator.campaigns.create(await draft({ reproPolicy: { ...defaultReproPolicy, transports: [] }, target: { vins: [vin!], filter: null } })),
    ).rejects.toThrow(/at least one transport/);
  });
});

describe('rollout, compatibility, consent and timeouts in the builder', () => {
  it('stores the waves, thresholds, preconditions, re-offer delay and timeouts the operator chose, and audits them', async () => {
    const db = await getDb();
    const vins = await makeVehicles(db, 5);
    const operator = await callerAs('operator');
    const input = await draft({
      target: { vins, filter: null },
      rollout: { waves: [{ size: 1, unit: 'count' }, { size: 50, unit: 'percent' }, { size: 50, unit: 'percent' }], successThreshold: 90, errorThreshold: 10, autoAdvance: false },
      preconditions: { ecus: [{ ecuId: '1', versions: ['1.0.0', '1.0.1'] }, { ecuId: 'BMS', versions: [] }], minFreeStorageMb: 250 },
      reofferDeclinedAfterHours: 24,
      timeouts: { ackTimeoutMinutes: 30, maxRedeliveries: 4, stallAfterMinutes: 45 },
    });
    const { id } = await operator.campaigns.create(input);
    const campaign = await operator.campaigns.get({ id });
    expect(campaign).toMatchObject({
      rollout: input.rollout,
      preconditions: input.preconditions,
      reofferDeclinedAfterHours: 24,
      commandAckTimeoutSeconds: 1800,
      commandMaxRedeliveries: 4,
      stallAfterMinutes: 45,
      currentWave: 0,
      suspendReason: null,
    });
    // Before deployment the page shows the planned split.
    const waves = await operator.campaigns.waves({ id });
    expect(waves.waves.map((w) => ({ vehicles: w.vehicles, state: w.state }))).toEqual([
      { vehicles: 1, state: 'waiting' },
      { vehicles: 2, state: 'waiting' },
      { vehicles: 2, state: 'waiting' },
    ]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'campaign.create'), eq(auditLog.entityId, String(id))));
    expect(audit?.details).toMatchObject({ rollout: input.rollout, preconditions: input.preconditions });
  });

  it('keeps the defaults when the form leaves these out: one wave of every vehicle, no preconditions, never re-offered', async () => {
    const [vin] = await makeVehicles(await getDb(), 1);
    const operator = await callerAs('operator');
    const { id } = await operator.campaigns.create(await draft({ target: { vins: [vin!], filter: null } }));
    expect(await operator.campaigns.get({ id })).toMatchObject({
      rollout: { waves: [{ size: 100, unit: 'percent' }], autoAdvance: true },
      preconditions: { ecus: [], minFreeStorageMb: 0 },
      reofferDeclinedAfterHours: null,
      commandAckTimeoutSeconds: 3600,
      commandMaxRedeliveries: 2,
      stallAfterMinutes: 120,
    });
  });

  it('says what is wrong: thresholds outside 1–100, an empty wave, percentages over 100, an ECU listed twice, a zero timeout', async () => {
    const [vin] = await makeVehicles(await getDb(), 1);
    const operator = await callerAs('operator');
    const target = { vins: [vin!], filter: null };
    const rollout = { waves: [{ size: 100, unit: 'percent' as const }], successThreshold: 90, errorThreshold: 10, autoAdvance: true };
    const refused = async (overrides: Partial<CampaignDraft>) => {
      try {
        await operator.campaigns.create(await draft({ target, ...overrides }));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(await refused({ rollout: { ...rollout, successThreshold: 0 } })).toBe('rollout.successThreshold: The success threshold must be between 1% and 100%');
    expect(await refused({ rollout: { ...rollout, errorThreshold: 101 } })).toBe('rollout.errorThreshold: The error threshold must be between 1% and 100%');
    expect(await refused({ rollout: { ...rollout, waves: [{ size: 0, unit: 'count' }] } })).toBe('rollout.waves.0.size: A wave size must be more than 0');
    expect(await refused({ rollout: { ...rollout, waves: [] } })).toBe('rollout.waves: Add at least one wave');
    expect(await refused({ rollout: { ...rollout, waves: [{ size: 60, unit: 'percent' }, { size: 60, unit: 'percent' }] } })).toBe(
      'rollout.waves: The percentage waves add up to 120%; at most 100%, or the later waves stay empty',
    );
    expect(await refused({ preconditions: { ecus: [{ ecuId: '1', versions: [] }, { ecuId: '1', versions: ['2'] }], minFreeStorageMb: 0 } })).toBe(
      'preconditions.ecus: ECU 1 is listed twice; put all its accepted versions in one row',
    );
    expect(await refused({ preconditions: { ecus: [{ ecuId: ' ', versions: [] }], minFreeStorageMb: 0 } })).toBe('preconditions.ecus.0.ecuId: Enter the ECU id');
    expect(await refused({ timeouts: { ackTimeoutMinutes: 0, maxRedeliveries: 2, stallAfterMinutes: 60 } })).toBe('timeouts.ackTimeoutMinutes: The acknowledgement timeout must be between 1 minute and 10,080 minutes');
    expect(await refused({ reofferDeclinedAfterHours: 0 })).toBe('reofferDeclinedAfterHours: The re-offer delay must be between 1 hour and 8,760 hours');
  });

  it('counts the target for the wave preview: pasted VINs and the filter, each vehicle once, unknown VINs left out', async () => {
    const db = await getDb();
    const region = `R-${tag()}`;
    const inRegion = await makeVehicles(db, 3, { region });
    const [elsewhere] = await makeVehicles(db, 1);
    const support = await callerAs('support');
    expect(await support.campaigns.countTarget({ vins: [inRegion[0]!, elsewhere!, uniqueVin('X')], filter: null })).toEqual({ count: 2 });
    expect(await support.campaigns.countTarget({ vins: [inRegion[0]!, elsewhere!], filter: { region } })).toEqual({ count: 4 });
    expect(await support.campaigns.countTarget({ vins: [], filter: { region } })).toEqual({ count: 3 });
  });
});
