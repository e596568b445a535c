import { z } from 'zod';
import { getUpdateHistory, updateHistorySchema } from '../events/update-history';
import { actionOverrideSchema, actionSettingSchema, clearActionOverride, listActionSettings, setActionOverride, setActionOverrideSchema } from '../settings/action-overrides';
import { inventoryFilterSchema } from '../vehicles/fleet-inventory';
import { importResultSchema, importVehiclesCsv, vehicleImportSchema } from '../vehicles/import-vehicles';
import { listVehicles, vehicleRowSchema } from '../vehicles/list-vehicles';
import { getVehicleProfile, vehicleProfileSchema } from '../vehicles/vehicle-profile';
import { operation } from './operation';
import { nextOffsetCursor, offsetPage, pageOf, pageQuerySchema } from './paging';
import { vinParams } from './params';

const tag = 'Vehicles';
const overrideParams = actionOverrideSchema;

export const vehicleOperations = [
  operation({
    method: 'GET',
    path: '/vehicles',
    tag,
    summary: 'List the fleet, most recently seen first, with the dashboard’s filters',
    role: 'support',
    procedure: 'vehicles.list',
    query: pageQuerySchema.extend(inventoryFilterSchema.shape),
    response: { status: 200, json: pageOf(vehicleRowSchema) },
    handle: async ({ db, query }) => {
      const { cursor: _, limit: __, ...filter } = query;
      const at = offsetPage(query);
      const { rows, total } = await listVehicles(db, { ...filter, page: at.page, pageSize: at.pageSize });
      return { items: rows, nextCursor: nextOffsetCursor(at, total), total };
    },
  }),
  operation({
    method: 'POST',
    path: '/vehicles/import',
    tag,
    summary: 'Register vehicles from a CSV (vin,model,region[,primaryId]): all or nothing',
    role: 'operator',
    procedure: 'vehicles.importCsv',
    body: { json: vehicleImportSchema },
    response: { status: 200, json: importResultSchema },
    handle: ({ db, actor, body }) => importVehiclesCsv(db, actor, body),
  }),
  operation({
    method: 'GET',
    path: '/vehicles/{vin}',
    tag,
    summary: 'Get a vehicle: identity, ECUs and latest configuration',
    role: 'support',
    procedure: 'vehicles.get',
    params: vinParams,
    response: { status: 200, json: vehicleProfileSchema },
    handle: ({ db, params }) => getVehicleProfile(db, params),
  }),
  operation({
    method: 'GET',
    path: '/vehicles/{vin}/update-history',
    tag,
    summary: 'A vehicle’s update history: campaigns, attempts and their event timeline',
    role: 'support',
    procedure: 'events.history',
    params: vinParams,
    response: { status: 200, json: updateHistorySchema },
    handle: ({ db, params }) => getUpdateHistory(db, params),
  }),
  operation({
    method: 'GET',
    path: '/vehicles/{vin}/action-overrides',
    tag,
    summary: 'The vehicle’s action settings: fleet default and this vehicle’s override',
    role: 'support',
    procedure: 'vehicles.actionSettings',
    params: vinParams,
    response: { status: 200, json: z.array(actionSettingSchema) },
    handle: ({ db, params }) => listActionSettings(db, params),
  }),
  operation({
    method: 'PUT',
    path: '/vehicles/{vin}/action-overrides/{actionId}',
    tag,
    summary: 'Override an action setting for this vehicle',
    role: 'operator',
    procedure: 'vehicles.setOverride',
    params: overrideParams,
    body: { json: setActionOverrideSchema.pick({ value: true }) },
    response: { status: 200, json: z.object({ ok: z.literal(true), previous: z.number().nullable() }) },
    handle: async ({ db, actor, params, body }) => ({ ok: true as const, ...(await setActionOverride(db, actor, { ...params, ...body })) }),
  }),
  operation({
    method: 'DELETE',
    path: '/vehicles/{vin}/action-overrides/{actionId}',
    tag,
    summary: 'Remove this vehicle’s override (the fleet default applies again)',
    role: 'operator',
    procedure: 'vehicles.clearOverride',
    params: overrideParams,
    response: { status: 200, json: z.object({ ok: z.literal(true), cleared: z.boolean() }) },
    handle: async ({ db, actor, params }) => {
      const { previous } = await clearActionOverride(db, actor, params);
      return { ok: true as const, cleared: previous !== null };
    },
  }),
];
