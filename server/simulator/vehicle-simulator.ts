import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { signValue } from '../vehicle-protocol/signatures';
import { signGetQuery } from '../vehicle-protocol/signed-get';
import { expectedRxswin } from '../register/expected-rxswin';

/** A seed-protocol vehicle that runs one whole update against a server, printing each step. */
export type SimulatorOptions = {
  baseUrl: string;
  vin: string;
  primaryId?: string;
  /** Campaign to run when C_36 has no StartCampaign for the vehicle. */
  campaignId?: number;
  /** Also upload a small log file (C_37, PUT, C_39). */
  withLogs?: boolean;
  /**
   * Report a failure instead of finishing: at download (C_16 failure), at activation (C_24
   * failure + C_28), or in one ECU (a C_24 `success` whose first ECU reports failure).
   */
  fail?: { at: 'download' | 'activation' | 'ecu'; code: number };
  /** How many C_15 progress reports to send during a download (at least 1). */
  progressReports?: number;
  /** The vehicle's ed25519 private key: when given, every request is signed with it. */
  privateKey?: KeyObject;
  log?: (line: string) => void;
  fetch?: typeof fetch;
};

export type SentRequest = { method: string; path: string; body: unknown };

export type SimulationResult = {
  campaignId: number | null;
  attemptId: string | null;
  outcome: 'completed' | 'failed' | 'nothing-to-do';
  /** After a completed update, the configuration the vehicle uploaded when C_03 asked for it (null: not asked). */
  configAfter: { ecus: { ecuId: string; softwareVersion: string }[]; rxswin: unknown[] } | null;
  downloads: { fileName: string; length: number; sha256: string; verified: boolean }[];
  eventsSent: number;
  /** Every POST the vehicle made, verbatim: replaying it must change nothing. */
  transcript: SentRequest[];
};

export class SimulatorError extends Error {}

type Target = {
  target: { fileName: string; length: number; hashes?: { sha256?: string }; fileDownloadUrl: string };
  custom?: { ecuId?: string; version?: string };
};

export async function runVehicleUpdate(options: SimulatorOptions): Promise<SimulationResult> {
  const base = options.baseUrl.replace(/\/$/, '');
  const vin = options.vin;
  const primaryId = options.primaryId ?? '0';
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => {});
  const transcript: SentRequest[] = [];
  let eventsSent = 0;
  let attemptId: string | null = null;
  let rmState = 'IDLE';

  async function post<T = any>(code: string, path: string, signed: unknown): Promise<T> {
    const body = { signed, signatures: options.privateKey ? [signValue(signed, options.privateKey)] : [] };
    transcript.push({ method: 'POST', path, body });
    const res = await doFetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new SimulatorError(`${code} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function notify(code: string, eventsType: string, status: string, extra: Record<string, unknown> = {}): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const event = {
      eventsUuid: randomUUID().replaceAll('-', ''),
      eventsType,
      eventMode: 'active',
      currentTime: { time: now, clockSource: 'default' },
      status,
      ...(attemptId ? { attemptId } : {}),
      reportId: String(eventsSent + 1),
      ...extra,
    };
    const answer = await post(code, '/api/ota/v1/notification', { vin, primaryId, events: [event] });
    eventsSent++;
    const result = answer?.signed?.body?.results?.[0]?.result ?? '?';
    log(`  ${code} ${eventsType}/${status}${extra.downloadExtras ? ` ${describeBytes(extra.downloadExtras)}` : ''} → ${result}`);
  }

  async function setRmState(state: string): Promise<void> {
    if (state === rmState) return;
    rmState = state;
    await notify('C_01', 'rmState', 'success', { rmStateExtras: { rmVehState: state, stateScope: 'vehicle' } });
  }

  log(`vehicle ${vin} → ${base}`);
  const actions = await post('C_03', '/api/ota/v1/action', { vin, primaryId });
  log(`C_03 actions: ${(actions.signed.body.actions as { actionId: string; value: number }[]).map((a) => `${a.actionId}=${a.value}`).join(', ')}`);

  const command = (await post('C_36', '/api/ota/v1/command', { vin, primaryId })).signed.body;
  log(`C_36 command: ${command.command}${command.command !== 'None' ? ` (commandId ${command.commandId}, campaign ${command.campaignId})` : ''}`);
  const campaignId: number | null = command.command === 'StartCampaign' ? command.campaignId : (options.campaignId ?? null);

  if (campaignId !== null) {
    const validity = (await post('C_18', '/api/ota/v1/campaign-validity', { vin, primaryId, campaignId })).signed.body;
    log(`C_18 campaign ${campaignId}: ${validity.status}`);
    if (validity.status !== 'Deployed') return { campaignId, attemptId, outcome: 'nothing-to-do', downloads: [], eventsSent, transcript, configAfter: null };
  }

  attemptId = `${campaignId ?? 0}-${Date.now()}`;
  let manifests = [{ ecuId: '1', hardwareId: 'ECU-HW-1', softwareId: '1', softwareVersion: '1.0.0' }];
  let rxswin: unknown[] = [{ rxswin: 'R156-DEMO-0001', ecuId: '1' }];
  const uploadConfig = (reason: string, extra: Record<string, unknown>) =>
    post('C_05', '/api/ota/v1/config', {
      vin,
      primaryId,
      ecuVersionManifests: manifests,
      clientDigest: createHash('sha256').update(JSON.stringify({ manifests, rxswin })).digest('hex'),
      augmentedManifest: {
        timeStamp: String(Math.floor(Date.now() / 1000)),
        packageStorage: { used: 100, available: 2048 },
        lastUpdateCampaignId: 0,
        rxswin,
        uploadReason: reason,
        locale: 'en-US',
        ...extra,
      },
    });
  const offer = (await uploadConfig('campaign', { preferredCampaignId: campaignId ?? 0, attemptId, isNewAttempt: true })).signed.body;
  const selected: number = offer.augmentedMetadata.signed.body.selectedCampaign.campaignId;
  const targets: Target[] = offer.targetsMetadata.flatMap((t: { metadata: { signed: { body: { targets: Target[] } } } }) => t.metadata.signed.body.targets);
  log(`C_05 selected campaign ${selected} with ${targets.length} file(s), attempt ${attemptId}`);
  if (!selected) return { campaignId, attemptId, outcome: 'nothing-to-do', downloads: [], eventsSent, transcript, configAfter: null };
  // C_07: the vehicle package behind the files (its RXSWIN is what the vehicle carries after the update).
  // With a key, the GET is signed too (vehicle-protocol/signed-get.ts): the bare ?vin= is refused under VEHICLE_AUTH=signature.
  const metadataPath = `/cdn/v1/campaigns/${selected}/download-metadata`;
  const metadataQuery = options.privateKey ? signGetQuery(metadataPath, vin, options.privateKey) : `vin=${encodeURIComponent(vin)}`;
  const metadata = await doFetch(`${base}${metadataPath}?${metadataQuery}`);
  const packageRxswin: string | null = metadata.ok ? ((await metadata.json())?.signed?.body?.vehiclePackage?.rxswin ?? null) : null;
  log(`C_07 vehicle package${packageRxswin ? `, RXSWIN after the update ${packageRxswin}` : ''}`);
  const ecuTargets = targets.map((t) => ({ ecuId: t.custom?.ecuId ?? '1', version: t.custom?.version ?? '' }));

  await notify('C_10', 'notification', 'accepted');
  const total = targets.reduce((sum, t) => sum + t.target.length, 0);
  await notify('C_12', 'download', 'accepted', { downloadExtras: { downloadSize: total, transportType: 'wifi', bytesDownloaded: 0 } });
  await setRmState('DOWNLOADING');
  const started = { time: Math.floor(Date.now() / 1000), clockSource: 'default' };
  await notify('C_13', 'download', 'started', { downloadExtras: { downloadSize: total, transportType: 'wifi', bytesDownloaded: 0 }, timeStarted: started });

  const downloads: SimulationResult['downloads'] = [];
  const reports = Math.max(1, options.progressReports ?? 3);
  let done = 0;
  let nextReport = 1;
  for (const { target } of targets) {
    const res = await doFetch(target.fileDownloadUrl);
    if (!res.ok || !res.body) throw new SimulatorError(`download of ${target.fileName} answered ${res.status}: ${await res.text()}`);
    const hash = createHash('sha256');
    let length = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      hash.update(value);
      length += value.byteLength;
      done += value.byteLength;
      while (nextReport <= reports && done >= (total * nextReport) / (reports + 1)) {
        nextReport++;
        await notify('C_15', 'download', 'inProgress', { downloadExtras: { downloadSize: total, transportType: 'wifi', bytesDownloaded: done }, timeStarted: started });
      }
    }
    const sha256 = hash.digest('hex');
    const verified = sha256 === target.hashes?.sha256 && length === target.length;
    downloads.push({ fileName: target.fileName, length, sha256, verified });
    log(`  downloaded ${target.fileName}: ${length} bytes, sha256 ${verified ? 'verified' : `MISMATCH (${sha256})`}`);
    if (!verified) options.fail ??= { at: 'download', code: 2001 };
  }

  if (options.fail?.at === 'download') {
    await notify('C_16', 'download', 'failure', {
      downloadExtras: { downloadSize: total, transportType: 'wifi', bytesDownloaded: done, oemErrors: [{ phaseCode: 1, siteCode: 0, oemCode: options.fail.code, targetId: '1' }] },
      timeStarted: started,
    });
    await setRmState('IDLE');
    return { campaignId: selected, attemptId, outcome: 'failed', downloads, eventsSent, transcript, configAfter: null };
  }
  await notify('C_16', 'download', 'success', {
    downloadExtras: { downloadSize: total, transportType: 'wifi', bytesDownloaded: done, oemErrors: [] },
    timeStarted: started,
  });
  await notify('C_09', 'tracking', 'success', {
    trackingExtras: { fileId: '1', result: 'success', transportType: 'wifi', dlTime: { time: Math.floor(Date.now() / 1000), clockSource: 'default' }, fileSize: done },
  });

  await setRmState('INSTALLING');
  await notify('C_19', 'installation', 'accepted', { timeStarted: started });
  for (const processed of [0.5, 1]) {
    await notify('C_20', 'installation', 'inProgress', {
      installProgressExtras: { numEcus: 1, completeEcus: processed === 1 ? 1 : 0, ecuProgress: [{ totalBytes: total, targetId: '1', bytesProcessed: Math.round(total * processed) }] },
      timeStarted: started,
    });
  }

  await setRmState('ACTIVATING');
  await notify('C_22', 'activate', 'accepted', { timeStarted: started });
  await notify('C_23', 'activate', 'inProgress', { activateProgressExtras: { totalActivation: 1, completeActivation: 1 }, timeStarted: started });
  if (options.fail?.at === 'activation') {
    const code = options.fail.code;
    await notify('C_24', 'activate', 'failure', {
      activationExtras: {
        updateTimeUTS: Math.floor(Date.now() / 1000),
        updateStatus: 'failure',
        ecuInfo: [{ targetId: '1', ecuSoftwareId: '1', updateStatus: 'failure', errorCodes: [{ code, description: 'activation failed' }], updateMethod: 'ota' }],
        oemErrors: [],
      },
      timeStarted: started,
    });
    await notify('C_28', 'error', 'failure', {
      errorExtras: [{ phaseCode: 3, siteCode: 0, oemCode: code, targetId: '1' }],
      errorCodes: [{ code, description: 'activation failed' }],
      timeStarted: started,
    });
    await setRmState('IDLE');
    return { campaignId: selected, attemptId, outcome: 'failed', downloads, eventsSent, transcript, configAfter: null };
  }
  const ecuFails = options.fail?.at === 'ecu';
  await notify('C_24', 'activate', 'success', {
    activationExtras: {
      updateTimeUTS: Math.floor(Date.now() / 1000),
      updateStatus: 'success',
      ecuInfo: ecuTargets.map((t, i) => {
        const failing = ecuFails && i === 0;
        return { targetId: t.ecuId, ecuSoftwareId: t.ecuId, updateStatus: failing ? 'failure' : 'success', errorCodes: failing ? [{ code: options.fail!.code, description: 'ECU activation failed' }] : [], updateMethod: 'ota' };
      }),
      oemErrors: [],
    },
    timeStarted: started,
  });
  if (ecuFails) {
    await setRmState('IDLE');
    return { campaignId: selected, attemptId, outcome: 'failed', downloads, eventsSent, transcript, configAfter: null };
  }
  await notify('C_25', 'ackinstall', 'accepted');
  await notify('C_35', 'updateComplete', 'success');
  await setRmState('IDLE');

  // After the update the server asks (C_03) for the configuration, which now shows the new software.
  let configAfter: SimulationResult['configAfter'] = null;
  const after = (await post('C_03', '/api/ota/v1/action', { vin, primaryId })).signed.body.actions as { actionId: string; value: number }[];
  const asked = after.some((a) => a.actionId === 'CarConfigInfoUploadNecessity' && a.value === 1);
  log(`C_03 after the update: CarConfigInfoUploadNecessity=${asked ? 1 : 0}`);
  if (asked) {
    manifests = manifests.map((m) => {
      const updated = ecuTargets.findLast((t) => t.ecuId === m.ecuId);
      return updated?.version ? { ...m, softwareVersion: updated.version } : m;
    });
    rxswin = expectedRxswin(rxswin, packageRxswin, ecuTargets.map((t) => t.ecuId)) ?? [];
    await uploadConfig('update', { lastUpdateCampaignId: selected });
    configAfter = { ecus: manifests.map((m) => ({ ecuId: m.ecuId, softwareVersion: m.softwareVersion })), rxswin };
    log(`C_05 uploaded the configuration after the update: ${manifests.map((m) => `ECU ${m.ecuId} ${m.softwareVersion}`).join(', ')}`);
  }

  if (options.withLogs) await uploadLog();
  log(`update of campaign ${selected} complete: ${eventsSent} events sent`);
  return { campaignId: selected, attemptId, outcome: 'completed', downloads, eventsSent, transcript, configAfter };

  async function uploadLog(): Promise<void> {
    const content = new TextEncoder().encode(`${new Date().toISOString()} ${vin} update of attempt ${attemptId} finished\n`.repeat(20));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const url = (await post('C_37', '/api/ota/v1/log-upload-url', { vin, primaryId, logType: 'update', fileName: `update-${attemptId}.log`, fileSize: content.byteLength })).signed.body;
    log(`C_37 upload ${url.uploadId}`);
    const put = await doFetch(url.uploadUrl, { method: 'PUT', body: content });
    if (!put.ok) throw new SimulatorError(`log PUT answered ${put.status}: ${await put.text()}`);
    const done39 = (await post('C_39', '/api/ota/v1/log-upload-complete', { vin, primaryId, uploadId: url.uploadId, fileSize: content.byteLength, sha256 })).signed.body;
    log(`C_39 log ${done39.status} (${content.byteLength} bytes)`);
  }
}

function describeBytes(extras: unknown): string {
  const e = extras as { bytesDownloaded?: number; downloadSize?: number };
  return `${e.bytesDownloaded ?? 0}/${e.downloadSize ?? 0} bytes`;
}
