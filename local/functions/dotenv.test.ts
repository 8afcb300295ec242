import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv.ts';

describe('parseDotenv', () => {
  it('reads plain, quoted and exported values, skipping comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = spaced value  ',
      'INLINE=kept # dropped',
      'HASH=a#b',
      'export EXPORTED=yes',
      "SINGLE='literal \\n # kept'",
      'DOUBLE="line\\nbreak \\"quoted\\""',
      'MULTI="one',
      'two"',
      'EMPTY=',
      'not a line',
    ].join('\r\n');
    expect(parseDotenv(text)).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced value',
      INLINE: 'kept',
      HASH: 'a#b',
      EXPORTED: 'yes',
      SINGLE: 'literal \\n # kept',
      DOUBLE: 'line\nbreak "quoted"',
      MULTI: 'one\ntwo',
      EMPTY: '',
    });
  });

  it('lets a later line win', () => {
    expect(parseDotenv('A=1\nA=2\n')).toEqual({ A: '2' });
  });
});
