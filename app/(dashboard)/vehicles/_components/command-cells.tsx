'use client';

import Link from 'next/link';
import { Time } from '@/app/_components/ui';

/** The campaign a command belongs to, as a link (or a dash for commands of no campaign). */
export function CommandCampaign({ campaignId, campaignName }: { campaignId: number | null; campaignName: string | null }) {
  if (!campaignId) return <span className="text-slate-400">—</span>;
  return (
    <Link href={`/campaigns/${campaignId}`} className="text-blue-700 hover:underline">
      {campaignName ?? `Campaign ${campaignId}`}
    </Link>
  );
}

/** When a command was queued, and by whom. */
export function CommandCreated({ createdAt, createdBy }: { createdAt: Date; createdBy: string | null }) {
  return (
    <>
      <Time value={createdAt} />
      {createdBy ? <div className="text-slate-500">by {createdBy}</div> : null}
    </>
  );
}
