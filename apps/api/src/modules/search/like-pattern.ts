/**
 * Escapes the LIKE wildcards `%` and `_` and the escape character itself,
 * so user text matches literally. PostgreSQL's default LIKE escape
 * character is the backslash, which the queries here rely on.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
