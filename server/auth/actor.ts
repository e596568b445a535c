/**
 * Who makes a change, as the services and the audit log see it: a signed-in dashboard user, a
 * REST API token (`/api/v1/`), or the system itself from a command line (`npm run token`).
 * `actorName` says how the audit log names each.
 */
export type Actor =
  | { kind: 'user'; id: number; email: string }
  | { kind: 'token'; id: number; name: string }
  | { kind: 'system'; name: string };

/** The actor of a signed-in user (the tRPC context builds it once per request). */
export const userActor = (user: { id: number; email: string }): Actor => ({ kind: 'user', id: user.id, email: user.email });

/** The actor of a REST request authenticated with an API token. */
export const tokenActor = (token: { id: number; name: string }): Actor => ({ kind: 'token', id: token.id, name: token.name });

/** How audit rows (`actor_email`) and queued commands (`created_by`) name the actor: the e-mail, `token:NAME`, or the system's name. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.email;
    case 'token':
      return `token:${actor.name}`;
    case 'system':
      return actor.name;
  }
}
