/**
 * The message of a failed query or mutation for the operator. Input validation failures arrive
 * as a JSON list of zod issues; they become "field: message" lines.
 */
export function readableError(error: { message: string } | null | undefined): string | null {
  if (!error) return null;
  const text = error.message.trim();
  if (text.startsWith('[')) {
    try {
      const issues = JSON.parse(text) as { path?: (string | number)[]; message?: string }[];
      return issues.map((i) => (i.path?.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('\n');
    } catch {
      return text;
    }
  }
  return text;
}
