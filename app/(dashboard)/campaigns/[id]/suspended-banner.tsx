'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/client';
import { ConfirmButton, ErrorState } from '@/app/_components/ui';
import { RetryOutcome, useRetry } from './failures-card';
import { plural, resumeMessage, retryMessage } from './operator-messages';

type Props = {
  campaignId: number;
  reason: string | null;
  /** Failed (and declined) vehicles of the whole campaign: what "retry" would take. */
  retryable: number;
  /** Failures of the current wave: what the error threshold counted. */
  failedInWave: number;
  wave: number;
  waveCount: number;
  errorThreshold: number;
  canOperate: boolean;
};

/** Why a suspended campaign paused, in words, and what the operator can do about it. */
export function SuspendedBanner({ campaignId, reason, retryable, failedInWave, wave, waveCount, errorThreshold, canOperate }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resume = useMutation(trpc.campaigns.transition.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.campaigns.pathFilter()) }));
  const retry = useRetry(campaignId);
  const automatic = reason?.startsWith('Suspended automatically') ?? false;
  return (
    <section role="alert" aria-labelledby="why-paused" className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 shadow-sm">
      <h2 id="why-paused" className="text-base font-semibold">
        Why it paused
      </h2>
      <p className="mt-1 text-base font-medium" data-testid="suspend-reason">
        {reason ?? 'This campaign is suspended.'}
      </p>
      <p className="mt-2 text-sm">
        While it is suspended no vehicle is offered the campaign; vehicles on their way are told it is suspended and their StartCampaign commands are held back.
        {automatic ? ' Look at the failures by error code below before you go on.' : ''}
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-5 text-sm">
        <li>
          <strong className="font-medium">Resume</strong> when the cause is understood: {failedInWave ? `the ${plural(failedInWave, 'failure')} seen so far in wave ${wave + 1} no longer ${failedInWave === 1 ? 'counts' : 'count'} toward the error threshold of ${errorThreshold}%; only new failures can suspend it again.` : 'failures from now on count toward the error threshold again.'}
        </li>
        <li>
          <strong className="font-medium">Retry failed vehicles</strong> to give them another go — all of them here, or by error code in the list below. They get a fresh StartCampaign, delivered once you resume.
        </li>
        <li>
          <strong className="font-medium">Cancel the campaign</strong> (top right) if the update itself is at fault.
        </li>
      </ul>
      {canOperate ? (
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <ConfirmButton
            label="Resume"
            title="Resume this campaign?"
            message={resumeMessage({ failedInWave, wave, waveCount, errorThreshold })}
            variant="primary"
            pending={resume.isPending}
            disabled={resume.isPending || retry.mutation.isPending}
            onConfirm={() => resume.mutate({ id: campaignId, action: 'resume' })}
          />
          {retryable ? (
            <ConfirmButton
              label={`Retry all failed vehicles (${retryable})`}
              title="Retry every failed and declined vehicle?"
              message={retryMessage({ count: retryable, code: null, suspended: true })}
              pending={retry.mutation.isPending}
              disabled={resume.isPending || retry.mutation.isPending}
              onConfirm={() => retry.run(null)}
            />
          ) : null}
        </div>
      ) : (
        <p className="mt-3 text-sm">An operator can resume it or retry the failed vehicles.</p>
      )}
      <div className="mt-3 empty:hidden">
        {resume.error ? <ErrorState error={resume.error} /> : null}
        <RetryOutcome retry={retry} />
      </div>
    </section>
  );
}
