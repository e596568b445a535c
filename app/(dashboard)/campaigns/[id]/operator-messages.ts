// What each rollout action will do, in words, for its confirmation dialog.

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Resuming: what happens, and that the failures seen so far no longer count toward the error threshold. */
export function resumeMessage(input: { failedInWave: number; wave: number; waveCount: number; errorThreshold: number }): string {
  const seen =
    input.failedInWave > 0
      ? ` The ${plural(input.failedInWave, 'failure')} seen so far in wave ${input.wave + 1} of ${input.waveCount} no longer ${input.failedInWave === 1 ? 'counts' : 'count'} toward the error threshold of ${input.errorThreshold}%: the campaign suspends itself again only if new failures reach it.`
      : ` Failures from now on count toward the error threshold of ${input.errorThreshold}% again.`;
  return `The campaign is offered to its vehicles again and held StartCampaign commands are delivered.${seen}`;
}

/** Retrying failed (and declined) vehicles, all or those of one code. */
export function retryMessage(input: { count: number; code: string | null; suspended: boolean }): string {
  const who = input.code ? `The ${plural(input.count, 'vehicle')} that failed or declined with code ${input.code}` : `All ${plural(input.count, 'failed or declined vehicle')}`;
  const when = input.suspended ? ' The campaign is suspended: they get it once you resume it.' : ' Each starts again at its next poll.';
  const [go, get] = input.count === 1 ? ['goes', 'gets'] : ['go', 'get'];
  return `${who} ${go} back to queued and ${get} a fresh StartCampaign (vehicles whose configuration no longer fits are listed as blocked instead).${when}`;
}
