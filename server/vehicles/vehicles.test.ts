import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, vehicles } from '@/db/schema';
import { getDb } from '../db';
import { DomainError } from '../errors';
import { makeDeployedCampaign, makeVehicles, uniqueVin } from '../testing/factories';
import { callerAs } from '../testing/trpc';

const detailsOf = (error: unknown) => ((error as TRPCError).cause as DomainError).details;

describe('the vehicle list', () => {
  it('finds vehicles by VIN substring, model and region, a page at a time', async () => {
    const db = await getDb();
    const model = `Model ${randomUUID().slice(0, 8)}`;
    const eu = await makeVehicles(db, 7, { model, region: 'EU' });
    await makeVehicles(db, 3, { model, region: 'US' });
    const support = await callerAs('support');

    const page0 = await support.vehicles.list({ model, region: 'EU', page: 0, pageSize: 5 });
    expect(page0.total).toBe(7);
    expect(page0.rows).toHaveLength(5);
    const page1 = await support.vehicles.list({ model, region: 'EU', page: 1, pageSize: 5 });
    expect(page1.rows).toHaveLength(2);
    expect(new Set([...page0.rows, ...page1.rows].map((r) => r.vin))).toEqual(new Set(eu));

    // A piece of one VIN, typed in another case, finds exactly that vehicle.
    const piece = eu[3]!.slice(4, 12).toUpperCase();
    const found = await support.vehicles.list({ q: piece });
    expect(found.rows.map((r) => r.vin)).toEqual([eu[3]]);
    expect(found.rows[0]).toMatchObject({ model, region: 'EU', activeCampaign: null });

    const options = await support.vehicles.filterOptions();
    expect(options.models).toContain(model);
    expect(options.regions).toEqual(expect.arrayContaining(['EU', 'US']));
  });

  it('shows the campaign a vehicle is in and its phase', async () => {
    const db = await getDb();
    const [vin] = await makeVehicles(db, 1);
    const { campaign } = await makeDeployedCampaign(db, [vin!], { size: 1024 });
    const { rows } = await (await callerAs('support')).vehicles.list({ q: vin });
    expect(rows[0]!.activeCampaign).toEqual({ campaignId: campaign.id, name: campaign.name, phase: 'queued', progress: 0 });
  });

  it('treats % and _ as letters, not wildcards', async () => {
    const { rows } = await (await callerAs('support')).vehicles.list({ q: '%' });
    expect(rows).toEqual([]);
  });
});

describe('VIN lookup', () => {
  it('names the vehicle for an exact VIN (any case) and lists the matches of a partial one', async () => {
    const db = await getDb();
    const stem = `L${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    await db.insert(vehicles).values([
      { vin: `${stem}AAAAAA`, model: 'Aurora EV', region: 'JP' },
      { vin: `${stem}BBBBBB`, model: 'Aurora EV', region: 'JP' },
    ]);
    const support = await callerAs('support');

    const exact = await support.vehicles.lookup({ q: ` ${stem.toLowerCase()}aaaaaa ` });
    expect(exact.exact).toBe(`${stem}AAAAAA`);

    const partial = await support.vehicles.lookup({ q: stem });
    expect(partial.exact).toBeNull();
    expect(partial.total).toBe(2);
    expect(partial.matches.map((m) => m.vin)).toEqual([`${stem}AAAAAA`, `${stem}BBBBBB`]);

    const none = await support.vehicles.lookup({ q: `${stem}ZZZ` });
    expect(none).toMatchObject({ exact: null, matches: [], total: 0 });
  });

  it('the vehicle page of an unknown VIN says it does not exist', async () => {
    await expect((await callerAs('support')).vehicles.get({ vin: 'NOSUCHVIN000000' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'vehicle NOSUCHVIN000000 does not exist' });
  });
});

describe('CSV import', () => {
  it('registers every vehicle of a good file and records who did it', async () => {
    const db = await getDb();
    const [a, b] = [uniqueVin('C'), uniqueVin('C')];
    const operator = await callerAs('operator');
    const result = await operator.vehicles.importCsv({ csv: `VIN,Model,Region,primaryId\r\n${a},Aurora EV,JP,7\r\n"${b}","Boreal, Hybrid",EU,\r\n\r\n`, fileName: 'fleet.csv' });
    expect(result).toEqual({ imported: 2, vins: [a, b] });
    const rows = await db.select().from(vehicles).where(eq(vehicles.vin, b));
    expect(rows[0]).toMatchObject({ model: 'Boreal, Hybrid', region: 'EU', primaryId: '0' });
    expect((await db.select().from(vehicles).where(eq(vehicles.vin, a)))[0]!.primaryId).toBe('7');
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'vehicle.import')));
    expect(audit.find((r) => (r.details as { firstVins: string[] }).firstVins.includes(a))).toMatchObject({ entityType: 'vehicle', details: { fileName: 'fleet.csv', imported: 2 } });
  });

  it('imports nothing when any line is wrong, and names each bad line', async () => {
    const db = await getDb();
    const [existing] = await makeVehicles(db, 1);
    const good = uniqueVin('G');
    const dup = uniqueVin('D');
    const csv = ['vin,model,region', `${good},Aurora EV,JP`, 'BAD VIN!,Aurora EV,JP', `${dup},Aurora EV,JP`, `${dup},Aurora EV,EU`, `${existing},Aurora EV,JP`, `${uniqueVin('E')},,JP`].join('\n');
    const operator = await callerAs('operator');
    const error = await operator.vehicles.importCsv({ csv }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).message).toBe('4 problem(s) in the file; nothing was imported. Fix them and upload the whole file again.');
    expect(detailsOf(error)).toEqual([
      { path: 'line 3', message: 'VIN "BAD VIN!" is not valid: use 1 to 64 characters of A-Z, a-z, 0-9, _ or -' },
      { path: 'line 5', message: `VIN ${dup} is also on line 4` },
      { path: 'line 6', message: `VIN ${existing} is already registered` },
      { path: 'line 7', message: 'the model is empty' },
    ]);
    expect(await db.select().from(vehicles).where(eq(vehicles.vin, good))).toEqual([]);
  });

  it('asks for the header', async () => {
    const error = await (await callerAs('operator')).vehicles.importCsv({ csv: `${uniqueVin()},Aurora EV,JP\n` }).catch((e: unknown) => e);
    expect(detailsOf(error)).toEqual([{ path: 'line 1', message: expect.stringContaining('missing column(s) vin, model, region') }]);
  });

  it('is for operators: support is told which role it needs', async () => {
    await expect((await callerAs('support')).vehicles.importCsv({ csv: 'vin,model,region\n' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This needs the operator role; you are signed in as support.',
    });
  });
});
