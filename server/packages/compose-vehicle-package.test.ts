import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, vehiclePackages } from '@/db/schema';
import { getDb } from '../db';
import { getBlobStore } from '../storage';
import { callerAs } from '../testing/trpc';
import { createSoftwarePackage } from './software-packages';

async function makeSoftwarePackage(targetEcu: string, name = `${targetEcu} firmware ${randomUUID().slice(0, 6)}`) {
  return createSoftwarePackage(await getDb(), getBlobStore(), { name, version: '3.1.0', targetEcu, fileName: `${targetEcu}.bin` }, randomBytes(2048));
}

describe('composing a vehicle package', () => {
  it('keeps the chosen order, writes the manifest and the audit row, and lists it with its parts', async () => {
    const operator = await callerAs('operator');
    const gateway = await makeSoftwarePackage('GW');
    const body = await makeSoftwarePackage('BCM');
    const name = `Model Y 2026.${randomUUID().slice(0, 4)}`;
    const created = await operator.packages.composeVehiclePackage({ name, version: '2026.2', softwarePackageIds: [body.id, gateway.id] });

    const listed = (await operator.packages.vehiclePackages()).find((p) => p.id === created.id);
    expect(listed).toMatchObject({ name, version: '2026.2', campaignCount: 0 });
    expect(listed!.softwarePackages.map((p) => p.id)).toEqual([body.id, gateway.id]);
    const manifest = JSON.parse(
      await new Response(getBlobStore().read((await (await getDb()).select().from(vehiclePackages).where(eq(vehiclePackages.id, created.id)))[0]!.storageKey)).text(),
    );
    expect(manifest.softwarePackages.map((p: { ecuId: string }) => p.ecuId)).toEqual(['BCM', 'GW']);

    const audit = await (await getDb()).select().from(auditLog).where(and(eq(auditLog.action, 'package.compose'), eq(auditLog.entityId, String(created.id))));
    expect(audit).toEqual([expect.objectContaining({ entityType: 'vehicle_package', details: expect.objectContaining({ softwarePackageIds: [body.id, gateway.id] }) })]);
  });

  it('refuses two files for one ECU, a package chosen twice, an empty selection and unknown packages', async () => {
    const operator = await callerAs('operator');
    const a = await makeSoftwarePackage('TCU');
    const b = await makeSoftwarePackage('TCU');
    await expect(operator.packages.composeVehiclePackage({ name: 'x', version: '1', softwarePackageIds: [a.id, b.id] })).rejects.toThrow(/ECU TCU would get two files/);
    await expect(operator.packages.composeVehiclePackage({ name: 'x', version: '1', softwarePackageIds: [a.id, a.id] })).rejects.toThrow(/chosen twice/);
    await expect(operator.packages.composeVehiclePackage({ name: 'x', version: '1', softwarePackageIds: [] })).rejects.toThrow(/at least one software package/);
    await expect(operator.packages.composeVehiclePackage({ name: 'x', version: '1', softwarePackageIds: [987_654_321] })).rejects.toThrow(/987654321 do not exist/);
  });

  it('lets support read the lists but not compose', async () => {
    const support = await callerAs('support');
    const sp = await makeSoftwarePackage('ADAS');
    expect((await support.packages.softwarePackages()).map((p) => p.id)).toContain(sp.id);
    expect((await support.packages.uploadLimit()).text).toBe('2 GiB');
    await expect(support.packages.composeVehiclePackage({ name: 'x', version: '1', softwarePackageIds: [sp.id] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
