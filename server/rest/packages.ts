import { z } from 'zod';
import { composeVehiclePackage, composeVehiclePackageSchema } from '../packages/compose-vehicle-package';
import { getSoftwarePackage, listSoftwarePackages, listVehiclePackages } from '../packages/list-packages';
import { softwarePackageSchema, vehiclePackageSchema } from '../packages/schemas';
import { uploadPackageFromRequest } from '../packages/upload-endpoint';
import { softwarePackageUploadSchema } from '../packages/upload-software-package';
import { operation } from './operation';
import { pageOf, pageQuerySchema, sliceList } from './paging';
import { idParams } from './params';

const tag = 'Packages';

export const packageOperations = [
  operation({
    method: 'GET',
    path: '/software-packages',
    tag,
    summary: 'List software packages, newest first',
    role: 'support',
    procedure: 'packages.softwarePackages',
    query: pageQuerySchema,
    response: { status: 200, json: pageOf(softwarePackageSchema) },
    handle: async ({ db, query }) => sliceList(await listSoftwarePackages(db), query),
  }),
  operation({
    method: 'POST',
    path: '/software-packages',
    tag,
    summary: 'Upload a software package',
    description:
      'The file is the raw request body (not multipart), streamed to storage with its sha256; the fields are in the query string. Files over PACKAGE_UPLOAD_MAX_BYTES are refused with 413, as in the dashboard.',
    role: 'operator',
    query: softwarePackageUploadSchema.omit({ contentType: true }),
    body: { raw: { contentType: 'application/octet-stream', description: 'The package file; its Content-Type is stored with it' } },
    response: { status: 201, json: z.object({ package: softwarePackageSchema }) },
    handle: async ({ db, actor, req }) => ({ package: await uploadPackageFromRequest(db, actor, req) }),
  }),
  operation({
    method: 'GET',
    path: '/software-packages/{id}',
    tag,
    summary: 'Get a software package',
    role: 'support',
    procedure: 'packages.softwarePackages',
    params: idParams,
    response: { status: 200, json: softwarePackageSchema },
    handle: ({ db, params }) => getSoftwarePackage(db, params.id),
  }),
  operation({
    method: 'GET',
    path: '/vehicle-packages',
    tag,
    summary: 'List vehicle packages with their software packages, newest first',
    role: 'support',
    procedure: 'packages.vehiclePackages',
    query: pageQuerySchema,
    response: { status: 200, json: pageOf(vehiclePackageSchema) },
    handle: async ({ db, query }) => sliceList(await listVehiclePackages(db), query),
  }),
  operation({
    method: 'POST',
    path: '/vehicle-packages',
    tag,
    summary: 'Compose a vehicle package from software packages',
    role: 'operator',
    procedure: 'packages.composeVehiclePackage',
    body: { json: composeVehiclePackageSchema },
    response: { status: 201, json: z.object({ id: z.number(), name: z.string(), version: z.string() }) },
    handle: async ({ db, actor, body }) => {
      const created = await composeVehiclePackage(db, actor, body);
      return { id: created.id, name: created.name, version: created.version };
    },
  }),
];
