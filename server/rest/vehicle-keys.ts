import { z } from 'zod';
import {
  enrolVehicleKey,
  enrolVehicleKeySchema,
  listVehicleKeys,
  revokeVehicleKey,
  rotateVehicleKey,
  rotateVehicleKeySchema,
  vehicleKeysSchema,
} from '../vehicles/vehicle-keys';
import { operation } from './operation';
import { vinParams } from './params';

const tag = 'Vehicle keys';
const keyAnswerSchema = z.object({ keyid: z.string() });

/** A vehicle's public keys: the history, enrolment, rotation with a grace period, and revocation (docs/security.md). */
export const vehicleKeyOperations = [
  operation({
    method: 'GET',
    path: '/vehicles/{vin}/keys',
    tag,
    summary: 'The vehicle’s keys, newest first, the one it signs with now, and the server’s VEHICLE_AUTH',
    role: 'support',
    procedure: 'vehicles.keys',
    params: vinParams,
    response: { status: 200, json: vehicleKeysSchema },
    handle: ({ db, params }) => listVehicleKeys(db, params),
  }),
  operation({
    method: 'POST',
    path: '/vehicles/{vin}/keys',
    tag,
    summary: 'Enrol the first key of a vehicle that has none (ed25519 public key: PEM, base64 DER or raw 32 bytes)',
    role: 'operator',
    procedure: 'vehicles.enrolKey',
    params: vinParams,
    body: { json: enrolVehicleKeySchema.omit({ vin: true }) },
    response: { status: 201, json: keyAnswerSchema },
    handle: async ({ db, actor, params, body }) => ({ keyid: (await enrolVehicleKey(db, actor, { ...body, vin: params.vin })).keyid }),
  }),
  operation({
    method: 'POST',
    path: '/vehicles/{vin}/keys/rotate',
    tag,
    summary: 'Add the next key; the current one stays valid until the vehicle first signs with the new one, or the grace period ends',
    role: 'operator',
    procedure: 'vehicles.rotateKey',
    params: vinParams,
    body: { json: rotateVehicleKeySchema.omit({ vin: true }) },
    response: { status: 201, json: keyAnswerSchema },
    handle: async ({ db, actor, params, body }) => ({ keyid: (await rotateVehicleKey(db, actor, { ...body, vin: params.vin })).keyid }),
  }),
  operation({
    method: 'POST',
    path: '/vehicles/{vin}/keys/{keyid}/revoke',
    tag,
    summary: 'Revoke one key at once (a stolen or leaked key)',
    role: 'operator',
    procedure: 'vehicles.revokeKey',
    params: vinParams.extend({ keyid: z.string().regex(/^[0-9a-f]{64}$/, 'A key id is 64 hex digits').describe('The key id: sha256 (hex) of the public key’s DER form') }),
    response: { status: 200, json: keyAnswerSchema },
    handle: async ({ db, actor, params }) => ({ keyid: (await revokeVehicleKey(db, actor, params)).keyid }),
  }),
];
