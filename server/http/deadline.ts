import { DomainError } from '../errors';
import { errorResponse } from './endpoint';

/**
 * The Response of `work`, or, when it has not produced one within `ms` milliseconds,
 * `503 UNAVAILABLE` with Retry-After instead of waiting. During a
 * PostgreSQL outage or restart, queries queue inside postgres.js until a connection comes back;
 * without a deadline a request waited up to 80 s (issue 10).
 *
 * The work is not cancelled: a late notification may still commit after its 503. The vehicle
 * retries it, and the event ids make the retry a no-op (docs/vehicle-api.md). A late Response
 * that nobody will read has its body cancelled (a download's file handle is released).
 */
export function withinDeadline(work: () => Promise<Response>, ms: number): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const answer = work();
  const deadline = new Promise<Response>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      resolve(unavailable(ms));
    }, ms);
  });
  answer.then(
    (response) => {
      if (late) void response.body?.cancel().catch(() => {});
    },
    () => {},
  );
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}

const unavailable = (ms: number) =>
  errorResponse(new DomainError('UNAVAILABLE', `no answer within ${ms} ms: the database is unreachable or overloaded; retry later`, [], 5));
