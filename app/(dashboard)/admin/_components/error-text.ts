/**
 * The message of a failed call, readable: input validation errors arrive as the JSON list of
 * zod issues; those become their messages joined.
 */
export function errorText(error: { message: string } | null | undefined): string | null {
  if (!error) return null;
  const message = error.message.trim();
  if (!message.startsWith('[')) return message;
  try {
    const issues = JSON.parse(message) as { message?: string; path?: unknown[] }[];
    const texts = issues.map((i) => i.message).filter(Boolean);
    return texts.length ? texts.join('; ') : message;
  } catch {
    // Not JSON after all: the message is shown as it came.
    return message;
  }
}
