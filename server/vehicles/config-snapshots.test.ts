import { describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';
import { postJson } from '../testing/vehicle-client';

const upload = async (vin: string, version: string, used: number, extra: Record<string, unknown> = {}) => {
  const res = await postJson('/api/ota/v1/config', {
    signed: {
      vin,
      primaryId: '0',
      ecuVersionManifests: [
        { ecuId: '1', hardwareId: 'ECU-HW-1', softwareId: '1', softwareVersion: version },
        { ecuId: '2', hardwareId: 'ECU-HW-2', softwareId: '7', softwareVersion: '3.2.0' },
      ],
      clientDigest: `digest-${version}-${used}`,
      augmentedManifest: { packageStorage: { used, available: 4096 - used }, rxswin: [{ rxswin: 'R156-A', ecuId: '1' }], uploadReason: 'periodic', locale: 'en-US', ...extra },
    },
  });
  expect(res.status, await res.clone().text()).toBe(200);
};

describe('configuration snapshots of a vehicle', () => {
  it('say in words what changed since the previous upload', async () => {
    const [vin] = (await makeVehicles(await getDb(), 1, {}, null)) as [string];
    await upload(vin, '1.0.0', 100);
    await upload(vin, '1.1.0', 612, { locale: 'ja-JP', rxswin: [{ rxswin: 'R156-B', ecuId: '1' }] });
    await upload(vin, '1.1.0', 612, { locale: 'ja-JP', rxswin: [{ rxswin: 'R156-B', ecuId: '1' }], uploadReason: 'campaign' });

    const support = await callerAs('support');
    const { snapshots, total } = await support.vehicles.snapshots({ vin });
    expect(total).toBe(3);
    const [latest, middle, first] = snapshots;
    expect(first!.changes).toBeNull();
    expect(middle).toMatchObject({ uploadReason: 'periodic', clientDigest: 'digest-1.1.0-612' });
    expect(middle!.changes).toEqual([
      { field: 'ECU 1 software version', before: '1.0.0', after: '1.1.0' },
      { field: 'RXSWIN', before: 'R156-A (ECU 1)', after: 'R156-B (ECU 1)' },
      { field: 'Storage used', before: '100 MB', after: '612 MB' },
      { field: 'Storage available', before: '3996 MB', after: '3484 MB' },
      { field: 'Locale', before: 'en-US', after: 'ja-JP' },
    ]);
    expect(latest).toMatchObject({ uploadReason: 'campaign', changes: [] });

    const { raw } = await support.vehicles.snapshotRaw({ vin, id: middle!.id });
    expect(raw).toMatchObject({ signed: { vin, clientDigest: 'digest-1.1.0-612' } });

    const profile = await support.vehicles.get({ vin });
    expect(profile.ecus.map((e) => [e.ecuId, e.softwareVersion])).toEqual([
      ['1', '1.1.0'],
      ['2', '3.2.0'],
    ]);
    expect(profile.latestConfig).toMatchObject({ rxswin: ['R156-B (ECU 1)'], storageUsedMb: 612, storageAvailableMb: 3484, locale: 'ja-JP' });
    expect(profile.identity).toMatchObject({ vin, signsRequests: false, lastConfigAt: expect.any(Date) });
  });
});
