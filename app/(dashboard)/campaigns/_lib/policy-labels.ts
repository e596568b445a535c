import type { reproPolicySchema } from '@/server/campaigns/draft-schema';
import type { z } from 'zod';

type ReproPolicy = z.infer<typeof reproPolicySchema>;

/** When the vehicle asks the driver: the builder's choices and the campaign page say it alike. */
export const consentLabels: Record<ReproPolicy['consent'], string> = {
  none: 'No consent needed',
  download: 'Before download',
  install: 'Before install',
  both: 'Before download and before install',
};

/** The networks a vehicle may download over. */
export const transportLabels: Record<ReproPolicy['transports'][number], string> = { wifi: 'Wi-Fi', cellular: 'Cellular', any: 'Any' };

/** A label map as the options of a select or a row of checkboxes, in the map's order. */
export const choicesOf = <K extends string>(labels: Record<K, string>) => (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
