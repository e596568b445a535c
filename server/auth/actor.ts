/**
 * Who makes a change, as the services and the audit log see it. Today a signed-in dashboard
 * user; a REST API token will be one more member (e.g. `{ kind: 'token'; id: number; name: string }`),
 * and `actorName` then says how the audit log names it.
 */
export type Actor = { kind: 'user'; id: number; email: string };

/** The actor of a signed-in user (the tRPC context builds it once per request). */
export const userActor = (user: { id: number; email: string }): Actor => ({ kind: 'user', id: user.id, email: user.email });

/** How audit rows (`actor_email`) and queued commands (`created_by`) name the actor. */
export function actorName(actor: Actor): string {
  return actor.email;
}
