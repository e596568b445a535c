import { z } from 'zod';
import { campaignStatuses } from '@/db/schema';
import { createCampaignDraft } from '../campaigns/campaign-draft';
import { campaignActionNames, changeCampaignStatus } from '../campaigns/change-status';
import { campaignDraftSchema } from '../campaigns/draft-schema';
import { failuresByCode, getCampaign, listCampaigns } from '../campaigns/list-campaigns';
import { retryCampaignVehicles, startNextCampaignWave } from '../campaigns/rollout-actions';
import { campaignListSchema, campaignSchema, failuresSchema, retryResultSchema, retryVehiclesSchema, startNextWaveResultSchema, startNextWaveSchema, waveProgressSchema } from '../campaigns/schemas';
import { campaignVehiclesCsv, campaignVehiclesCsvQuerySchema } from '../campaigns/vehicles-csv-endpoint';
import { waveProgress } from '../rollout/wave-progress';
import { operation } from './operation';
import { nextOffsetCursor, offsetPage, pageOf, pageQuerySchema } from './paging';
import { idParams } from './params';

const tag = 'Campaigns';

/**
 * The builder's draft as JSON carries it: the same schema and checks, with the start and end
 * times as ISO 8601 text (tRPC's superjson carries Dates).
 */
const campaignDraftJsonSchema = campaignDraftSchema.safeExtend({
  startsAt: z.coerce.date<Date>().nullable().describe('ISO 8601, or null: at once'),
  endsAt: z.coerce.date<Date>().nullable().describe('ISO 8601, or null: no end'),
});

const transitionResultSchema = z.object({ status: z.enum(campaignStatuses), from: z.enum(campaignStatuses), queuedCommands: z.number(), withdrawnCommands: z.number() });

const transitionSummary: Record<(typeof campaignActionNames)[number], string> = {
  deploy: 'Deploy a draft campaign (queues StartCampaign for its first wave)',
  suspend: 'Suspend a campaign',
  resume: 'Resume a suspended campaign',
  cancel: 'Cancel a campaign (withdraws its open commands)',
  complete: 'Complete a campaign',
};

export const campaignOperations = [
  operation({
    method: 'GET',
    path: '/campaigns',
    tag,
    summary: 'List campaigns, newest first, optionally of one status',
    role: 'support',
    procedure: 'campaigns.list',
    query: pageQuerySchema.extend({ status: z.enum(campaignStatuses).optional().describe('Only campaigns in this status') }),
    response: { status: 200, json: pageOf(campaignListSchema.shape.rows.element) },
    handle: async ({ db, query }) => {
      const at = offsetPage(query);
      const { rows, total } = await listCampaigns(db, { status: query.status, page: at.page, pageSize: at.pageSize });
      return { items: rows, nextCursor: nextOffsetCursor(at, total), total };
    },
  }),
  operation({
    method: 'POST',
    path: '/campaigns',
    tag,
    summary: 'Create a draft campaign (the dashboard builder’s draft)',
    role: 'operator',
    procedure: 'campaigns.create',
    body: { json: campaignDraftJsonSchema },
    response: { status: 201, json: z.object({ id: z.number(), vehicleCount: z.number() }) },
    handle: async ({ db, actor, body }) => {
      const created = await createCampaignDraft(db, actor, body);
      return { id: created.id, vehicleCount: created.vehicleCount };
    },
  }),
  operation({
    method: 'GET',
    path: '/campaigns/{id}',
    tag,
    summary: 'Get a campaign with its progress, its waves’ state and its failures by error code',
    role: 'support',
    procedure: 'campaigns.get',
    params: idParams,
    response: { status: 200, json: campaignSchema.extend({ waves: waveProgressSchema, failures: failuresSchema }) },
    handle: async ({ db, params }) => ({ ...(await getCampaign(db, params.id)), waves: await waveProgress(db, params.id), failures: await failuresByCode(db, params.id) }),
  }),
  ...campaignActionNames.map((action) =>
    operation({
      method: 'POST',
      path: `/campaigns/{id}/${action}`,
      tag,
      summary: transitionSummary[action],
      role: 'operator',
      procedure: 'campaigns.transition',
      params: idParams,
      response: { status: 200, json: transitionResultSchema },
      handle: ({ db, actor, params }) => changeCampaignStatus(db, actor, { id: params.id, action }),
    }),
  ),
  operation({
    method: 'POST',
    path: '/campaigns/{id}/start-next-wave',
    tag,
    summary: 'Release the next wave now',
    role: 'operator',
    procedure: 'campaigns.startNextWave',
    params: idParams,
    body: { json: startNextWaveSchema.omit({ id: true }).prefault({}) },
    response: { status: 200, json: startNextWaveResultSchema },
    handle: ({ db, actor, params, body }) => startNextCampaignWave(db, actor, { ...body, id: params.id }),
  }),
  operation({
    method: 'POST',
    path: '/campaigns/{id}/retry-failed',
    tag,
    summary: 'Retry failed and declined vehicles: all, or those of one error code',
    role: 'operator',
    procedure: 'campaigns.retryVehicles',
    params: idParams,
    body: { json: retryVehiclesSchema.omit({ id: true }).prefault({}) },
    response: { status: 200, json: retryResultSchema },
    handle: ({ db, actor, params, body }) => retryCampaignVehicles(db, actor, { ...body, id: params.id }),
  }),
  operation({
    method: 'GET',
    path: '/campaigns/{id}/vehicles.csv',
    tag,
    summary: 'The campaign’s vehicles as CSV, filtered as on its page',
    role: 'support',
    params: idParams,
    query: campaignVehiclesCsvQuerySchema,
    response: { status: 200, raw: { contentType: 'text/csv', description: 'One row per vehicle of the campaign' } },
    handle: ({ db, params, req }) => campaignVehiclesCsv(db, params.id, new URL(req.url).searchParams),
  }),
];
