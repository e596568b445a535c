'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import { parseVinText } from '@/server/campaigns/vin-list';
import { useDebounced } from '../_lib/use-debounced';
import type { BuilderForm } from './form-state';

export type TargetCount = { chosen: boolean; count: number | null; counting: boolean; error: string | null };

/**
 * How many registered vehicles the builder's target holds (pasted VINs plus the filter, each
 * vehicle once), counted on the server once typing pauses. While a new count is on its way
 * the last one stays (with `counting`).
 */
export function useTargetCount(form: BuilderForm): TargetCount {
  const trpc = useTRPC();
  const vins = useMemo(() => parseVinText(form.vinText), [form.vinText]);
  const f = form.filter;
  const filter = useMemo(
    () => (form.useFilter ? { model: f.model || undefined, region: f.region || undefined, ecuId: f.ecuId || undefined, softwareVersion: f.softwareVersion || undefined } : null),
    [form.useFilter, f.model, f.region, f.ecuId, f.softwareVersion],
  );
  const target = useMemo(() => ({ vins, filter }), [vins, filter]);
  const settled = useDebounced(target, 500);
  const { mutate, data, variables, error } = useMutation(trpc.campaigns.countTarget.mutationOptions());
  const chosen = target.vins.length > 0 || target.filter !== null;
  const valid = !settled.filter?.softwareVersion || !!settled.filter.ecuId;
  useEffect(() => {
    if ((settled.vins.length > 0 || settled.filter !== null) && valid) mutate(settled);
  }, [settled, valid, mutate]);
  const current = settled === target && variables === settled && !!data;
  return { chosen, count: chosen && data ? data.count : null, counting: chosen && valid && !current && !error, error: error ? error.message : null };
}
