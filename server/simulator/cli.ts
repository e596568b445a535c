// npm run vehicle -- --url http://localhost:3000 --vin vinUpdate20231008 [--primary-id 0] [--campaign 18] [--logs]
//                    [--fail-at download|activation|ecu --error-code 1112] [--key vehicle-private-key.pem]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parsePrivateKey } from '../vehicle-protocol/signatures';
import { runVehicleUpdate } from './vehicle-simulator';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    vin: { type: 'string', default: 'vinUpdate20231008' },
    'primary-id': { type: 'string', default: '0' },
    campaign: { type: 'string' },
    logs: { type: 'boolean', default: false },
    'fail-at': { type: 'string' },
    'error-code': { type: 'string', default: '1112' },
    key: { type: 'string' },
  },
});

const failAt = values['fail-at'];
if (failAt && failAt !== 'download' && failAt !== 'activation' && failAt !== 'ecu') {
  console.error('--fail-at must be download, activation or ecu');
  process.exit(2);
}

try {
  const result = await runVehicleUpdate({
    baseUrl: values.url,
    vin: values.vin,
    primaryId: values['primary-id'],
    campaignId: values.campaign ? Number(values.campaign) : undefined,
    withLogs: values.logs,
    privateKey: values.key ? parsePrivateKey(readFileSync(values.key, 'utf8')) : undefined,
    fail: failAt ? { at: failAt as 'download' | 'activation' | 'ecu', code: Number(values['error-code']) } : undefined,
    log: (line) => console.log(line),
  });
  console.log(`outcome: ${result.outcome}`);
  process.exit(result.outcome === 'failed' && !failAt ? 1 : 0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
