import { describe, expect, it } from 'vitest';
import { ident, literal } from './sql.ts';

describe('literal', () => {
  it.each([
    ['plain', "E'plain'"],
    ["it's", "E'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["\\'; drop table x; --", "E'\\\\''; drop table x; --'"],
  ])('quotes %s so no setting can end the string early', (value, quoted) => {
    expect(literal(value)).toBe(quoted);
  });

  it('refuses NUL, which Postgres text cannot hold', () => {
    expect(() => literal('a\0b')).toThrow(/0x00/);
  });
});

describe('ident', () => {
  it('doubles quotes inside a quoted identifier', () => {
    expect(ident('we"ird')).toBe('"we""ird"');
  });
});
