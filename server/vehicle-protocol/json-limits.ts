import { DomainError } from '../errors';

/** Objects and arrays may nest at most this deep in a vehicle's JSON body (the protocol's messages need fewer than ten). */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses, as 400 INVALID_JSON, a parsed body the server could not hash, sign or store:
 *  - nesting deeper than MAX_JSON_DEPTH (the canonical-JSON code recurses once per level);
 *  - a string or key with a lone UTF-16 surrogate (`"\ud800"`: valid JSON, but not Unicode text,
 *    which PostgreSQL's jsonb refuses);
 *  - a number beyond the double range (`1e309` parses as Infinity, which has no JSON form).
 * Walks the value once, at most MAX_JSON_DEPTH frames deep, before anything else looks at it.
 */
export function assertStorableJson(value: unknown): void {
  const problem = findProblem(value, [], 0);
  if (problem) throw new DomainError('INVALID_JSON', problem.message, [{ path: problem.path.join('.') || '(body)', message: problem.message }]);
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

type Problem = { path: (string | number)[]; message: string };

function findProblem(value: unknown, path: (string | number)[], depth: number): Problem | null {
  if (typeof value === 'string') {
    return wellFormed(value) ? null : { path, message: 'strings must be well-formed Unicode: a lone surrogate escape such as \\ud800 is not a character' };
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? null : { path, message: 'numbers must be finite: this one is beyond the range of a 64-bit float (such as 1e309)' };
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return { path: path.slice(0, 8), message: `JSON may nest objects and arrays at most ${MAX_JSON_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findProblem(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!wellFormed(key)) return { path: [...path, key.replace(LONE_SURROGATES, '\uFFFD')], message: 'keys must be well-formed Unicode: a lone surrogate escape such as \\ud800 is not a character' };
    const found = findProblem(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
