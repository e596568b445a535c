// A signed-in dashboard session over plain HTTP, for API specs that drive the app without a browser.
import superjson from 'superjson';

/** Signs in through next-auth's credentials endpoint, as the sign-in form does; answers the Cookie header. */
export async function signIn(origin: string, admin: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, json: 'true' }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in on ${origin} failed (${res.status}): ${await res.text()}`);
  return session;
}

/** tRPC over HTTP (superjson), as the dashboard calls it. */
export function trpcOn(cookie: string) {
  const unwrap = async (res: Response, name: string) => {
    const body = await res.json();
    if (!res.ok) throw new Error(`${name} answered ${res.status}: ${JSON.stringify(body)}`);
    return superjson.deserialize<any>(body.result.data);
  };
  return {
    query: async (origin: string, name: string, input: unknown) =>
      unwrap(await fetch(`${origin}/api/trpc/${name}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, { headers: { cookie } }), name),
    mutation: async (origin: string, name: string, input: unknown) =>
      unwrap(await fetch(`${origin}/api/trpc/${name}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(superjson.serialize(input)) }), name),
  };
}
