import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, commands } from '@/db/schema';
import { getDb } from '../db';
import { makePackage, makeVehicles } from '../testing/factories';
import { callerAs } from '../testing/trpc';

async function makeDraft(vehicleCount: number) {
  const db = await getDb();
  const vins = await makeVehicles(db, vehicleCount);
  const { vehiclePackage } = await makePackage(db, 1024);
  const operator = await callerAs('operator');
  const { id } = await operator.campaigns.create({
    name: 'Lifecycle test',
    description: '',
    vehiclePackageId: vehiclePackage.id,
    priority: 0,
    reproPolicy: { consent: 'none', maxRetries: 3, transports: ['any'], minFreeStorageMb: 1 },
    requiresConsent: false,
    hmiTexts: [],
    defaultLocale: 'en',
    startsAt: null,
    endsAt: null,
    target: { vins, filter: null },
  });
  return { id, vins, operator };
}

const auditOf = async (campaignId: number) =>
  (await (await getDb()).select().from(auditLog).where(and(eq(auditLog.entityType, 'campaign'), eq(auditLog.entityId, String(campaignId)))).orderBy(asc(auditLog.id))).map((a) => ({ action: a.action, details: a.details }));
const commandsOf = async (campaignId: number) => (await getDb()).select().from(commands).where(eq(commands.campaignId, campaignId));

describe('campaign lifecycle from the dashboard', () => {
  it('deploy queues StartCampaign for every targeted vehicle; suspend, resume and cancel follow, each audited', async () => {
    const { id, vins, operator } = await makeDraft(3);
    expect(await commandsOf(id)).toEqual([]);

    expect(await operator.campaigns.transition({ id, action: 'deploy' })).toEqual({ status: 'Deployed', from: 'Draft', queuedCommands: 3, withdrawnCommands: 0 });
    const queued = await commandsOf(id);
    expect(queued.map((c) => c.vin).sort()).toEqual([...vins].sort());
    expect(queued.every((c) => c.commandId === 4 && c.command === 'StartCampaign' && c.status === 'pending' && c.createdBy?.startsWith('operator-'))).toBe(true);

    expect(await operator.campaigns.transition({ id, action: 'suspend' })).toMatchObject({ status: 'Suspended', from: 'Deployed' });
    expect(await operator.campaigns.transition({ id, action: 'resume' })).toMatchObject({ status: 'Deployed', from: 'Suspended', queuedCommands: 0 });
    expect(await operator.campaigns.transition({ id, action: 'cancel' })).toMatchObject({ status: 'Cancelled', withdrawnCommands: 3 });
    expect((await commandsOf(id)).every((c) => c.status === 'cancelled')).toBe(true);

    expect(await auditOf(id)).toEqual([
      { action: 'campaign.create', details: expect.objectContaining({ vehicles: 3 }) },
      { action: 'campaign.deploy', details: { from: 'Draft', to: 'Deployed', queuedCommands: 3, withdrawnCommands: 0 } },
      { action: 'campaign.suspend', details: { from: 'Deployed', to: 'Suspended', queuedCommands: 0, withdrawnCommands: 0 } },
      { action: 'campaign.resume', details: { from: 'Suspended', to: 'Deployed', queuedCommands: 0, withdrawnCommands: 0 } },
      { action: 'campaign.cancel', details: { from: 'Deployed', to: 'Cancelled', queuedCommands: 0, withdrawnCommands: 3 } },
    ]);
  });

  it('refuses a transition the status does not allow with CONFLICT, changing nothing and auditing nothing', async () => {
    const { id, operator } = await makeDraft(1);
    await expect(operator.campaigns.transition({ id, action: 'suspend' })).rejects.toMatchObject({ code: 'CONFLICT', message: `campaign ${id} is Draft; it cannot become Suspended` });
    await expect(operator.campaigns.transition({ id, action: 'resume' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await operator.campaigns.transition({ id, action: 'deploy' });
    await operator.campaigns.transition({ id, action: 'suspend' });
    await expect(operator.campaigns.transition({ id, action: 'deploy' })).rejects.toMatchObject({ code: 'CONFLICT', message: `campaign ${id} is Suspended; only a Draft campaign can be deployed` });
    await operator.campaigns.transition({ id, action: 'complete' });
    await expect(operator.campaigns.transition({ id, action: 'cancel' })).rejects.toMatchObject({ code: 'CONFLICT', message: `campaign ${id} is Completed; it cannot become Cancelled` });

    expect((await operator.campaigns.get({ id })).status).toBe('Completed');
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['campaign.create', 'campaign.deploy', 'campaign.suspend', 'campaign.complete']);
  });

  it('leaves support watching: reading works, changing is FORBIDDEN', async () => {
    const { id } = await makeDraft(1);
    const support = await callerAs('support');
    expect((await support.campaigns.get({ id })).status).toBe('Draft');
    await expect(support.campaigns.transition({ id, action: 'deploy' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await commandsOf(id)).toEqual([]);
  });

  it('answers NOT_FOUND for a campaign that does not exist', async () => {
    const operator = await callerAs('operator');
    await expect(operator.campaigns.get({ id: 987_654_321 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'campaign 987654321 does not exist' });
    await expect(operator.campaigns.transition({ id: 987_654_321, action: 'deploy' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists campaigns by status with their vehicle counts', async () => {
    const { id, operator } = await makeDraft(2);
    const drafts = await operator.campaigns.list({ status: 'Draft', pageSize: 200 });
    expect(drafts.rows.find((c) => c.id === id)).toMatchObject({ status: 'Draft', vehicleCount: 2, completed: 0, completedPercent: 0 });
    expect(drafts.rows.every((c) => c.status === 'Draft')).toBe(true);
    expect((await operator.campaigns.list({ status: 'Deployed', pageSize: 200 })).rows.map((c) => c.id)).not.toContain(id);
    expect((await operator.campaigns.statusCounts()).Draft).toBeGreaterThanOrEqual(1);
  });
});
