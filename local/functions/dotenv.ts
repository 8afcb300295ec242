/**
 * A small dotenv parser for `functions/.env`: `KEY=value` lines, `#` comments, an optional `export `
 * prefix, single quotes (literal), double quotes (`\n`, `\t`, `\"`, `\\` escapes, may span lines) and
 * unquoted values (trimmed, a ` #` starts a comment). No variable expansion.
 */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < src.length) {
    const lineEnd = indexOrEnd(src, '\n', i);
    const line = src.slice(i, lineEnd);
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/.exec(line);
    if (!match) {
      i = lineEnd + 1;
      continue;
    }
    const key = match[1]!;
    let pos = i + match[0].length;
    const quote = src[pos];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = findClosingQuote(src, pos + 1, quote);
      if (close === -1) {
        // unterminated: take the rest of the line literally
        result[key] = line.slice(match[0].length).trim();
        i = lineEnd + 1;
        continue;
      }
      const raw = src.slice(pos + 1, close);
      result[key] = quote === '"' ? unescapeDoubleQuoted(raw) : raw;
      pos = close + 1;
      i = indexOrEnd(src, '\n', pos) + 1;
      continue;
    }
    let value = src.slice(pos, lineEnd);
    const comment = value.search(/\s#/);
    if (comment !== -1) value = value.slice(0, comment);
    result[key] = value.trim();
    i = lineEnd + 1;
  }
  return result;
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const index = text.indexOf(needle, from);
  return index === -1 ? text.length : index;
}

function findClosingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\\([nrt"\\$])/g, (_, ch: string) => ({ n: '\n', r: '\r', t: '\t' })[ch] ?? ch);
}
