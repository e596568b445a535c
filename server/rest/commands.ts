import { z } from 'zod';
import { cancelCommand, queueStartCampaignFor, queueStartCampaignSchema } from '../commands/change-commands';
import { commandRowSchema, listCommands, listCommandsInputSchema } from '../commands/list-commands';
import { operation } from './operation';
import { nextOffsetCursor, offsetPage, pageOf, pageQuerySchema } from './paging';
import { idParams } from './params';

const tag = 'Commands';

export const commandOperations = [
  operation({
    method: 'GET',
    path: '/commands',
    tag,
    summary: 'The command queue, newest first, of one state or one vehicle',
    role: 'support',
    procedure: 'commands.list',
    query: pageQuerySchema.extend(listCommandsInputSchema.pick({ status: true, vin: true }).shape),
    response: { status: 200, json: pageOf(commandRowSchema) },
    handle: async ({ db, query }) => {
      const at = offsetPage(query);
      const { rows, total } = await listCommands(db, { status: query.status, vin: query.vin, page: at.page, pageSize: at.pageSize });
      return { items: rows, nextCursor: nextOffsetCursor(at, total), total };
    },
  }),
  operation({
    method: 'POST',
    path: '/commands',
    tag,
    summary: 'Queue StartCampaign for one vehicle of a deployed campaign',
    role: 'operator',
    procedure: 'commands.queueStartCampaign',
    body: { json: queueStartCampaignSchema },
    response: { status: 201, json: z.object({ id: z.number(), campaignStatus: z.string() }) },
    handle: ({ db, actor, body }) => queueStartCampaignFor(db, actor, body),
  }),
  operation({
    method: 'POST',
    path: '/commands/{id}/cancel',
    tag,
    summary: 'Cancel a pending or delivered command',
    role: 'operator',
    procedure: 'commands.cancel',
    params: idParams,
    response: { status: 200, json: z.object({ id: z.number(), status: z.literal('cancelled') }) },
    handle: ({ db, actor, params }) => cancelCommand(db, actor, params),
  }),
];
