// PostgREST's URL grammar has no JavaScript implementation to reuse, so this is a small hand-written scanner.
import { parseError } from '../errors.ts';

export interface JsonStep {
  arrow: '->' | '->>';
  key: string;
  /** An array index (`->0`), written unquoted. */
  index: boolean;
}

/** A column reference: name plus optional JSON path (`data->a->>b`). */
export interface Field {
  name: string;
  path: JsonStep[];
}

export class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    /** Names the parameter in error messages: "failed to parse select parameter (…)". */
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expecting "${s}"`);
  }
  fail(expecting: string): never {
    const found = this.done ? 'end of input' : `"${this.peek()}"`;
    throw parseError(`"failed to parse ${this.what} (${this.text})"`, `unexpected ${found} ${expecting}`.trim());
  }

  /** An identifier: letters, digits, `_`, `$`, space, `-` not starting an arrow; or a double-quoted name. */
  identifier(): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.pos;
    while (!this.done) {
      const ch = this.peek();
      if (ch === '-' && this.peek(1) === '>') break;
      if (/[\p{L}\p{N}_$ -]/u.test(ch)) this.pos++;
      else break;
    }
    if (this.pos === start) this.fail('expecting field name (* or [a..z0..9_$])');
    return this.text.slice(start, this.pos).trim();
  }

  quoted(): string {
    this.expect('"');
    let out = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) this.pos++;
      out += this.peek();
      this.pos++;
    }
    this.expect('"');
    return out;
  }

  field(): Field {
    const name = this.identifier();
    const path: JsonStep[] = [];
    while (this.startsWith('->')) {
      const arrow = this.eat('->>') ? '->>' : (this.eat('->'), '->');
      const numeric = /^-?\d+/.exec(this.text.slice(this.pos));
      const nextIsKeyEnd = numeric && !/[\p{L}_$]/u.test(this.text[this.pos + numeric[0].length] ?? '');
      if (numeric && nextIsKeyEnd) {
        this.pos += numeric[0].length;
        path.push({ arrow, key: numeric[0], index: true });
      } else {
        path.push({ arrow, key: this.identifier(), index: false });
      }
    }
    return { name, path };
  }
}

/** Splits on `sep` at nesting depth 0, outside double quotes. */
export function splitTopLevel(text: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
