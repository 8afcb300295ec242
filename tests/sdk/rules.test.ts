/**
 * The rules module (sdk/src/rules) that the SDK and the edge functions share (issue 7, item 12): the
 * drifts are decided once, the password policy is Auth's own, and the functions import this module
 * rather than keeping copies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAuthSettings } from '../../local/auth/settings.ts';
import { loadConfig } from '../../local/config/index.ts';
import { rules } from '../../sdk/src/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const check = (schema: Parameters<typeof rules.validate>[0], raw: unknown, ...checks: rules.CrossFieldCheck[]) => rules.validate(schema, raw, ...checks);

describe('one behaviour for each drift', () => {
  const phoneBody = rules.body({ phone_number: rules.phone });

  it.each([
    ['+1234567', '+1234567'], // 7 digits: the shortest E.164 numbers (and the database's check)
    ['+123456789012345', '+123456789012345'], // 15 digits
    ['+1 (415) 555-0100', '+14155550100'],
    ['+44.20.7946.0958', '+442079460958'],
  ])('phone %s is accepted as %s', (input, expected) => {
    expect(check(phoneBody, { phone_number: input })).toEqual({ data: { phone_number: expected } });
  });

  it.each(['+123456', '+1234567890123456', '14155550100', '+0123456789', '+1 415 abc 0100'])('phone %s is refused', (input) => {
    expect(check(phoneBody, { phone_number: input })).toEqual({ errors: { phone_number: [rules.INVALID_PHONE] } });
  });

  it('emails are trimmed and lower-cased', () => {
    expect(check(rules.body({ email: rules.email }), { email: '  John.Doe@Example.COM ' })).toEqual({ data: { email: 'john.doe@example.com' } });
  });

  it('unknown keys are refused, each by name', () => {
    expect(check(rules.body({ email: rules.email }), { email: 'a@b.co', role: 'admin', is_staff: true })).toEqual({
      errors: { role: [rules.NOT_ALLOWED], is_staff: [rules.NOT_ALLOWED] },
    });
  });

  it.each([
    ['https://youtube.com/@john', true],
    ['http://example.com/x?y=1', true],
    ['', true],
    ['javascript:alert(1)', false],
    ['JAVASCRIPT:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['youtube.com/john', true],
    ['youtube.com /john', false],
    ['vbscript:msgbox(1)', false],
    ['//evil.example', false],
    ['https://', false],
  ])('link %j accepted: %s', (value, accepted) => {
    const result = check(rules.body({ link: rules.webLink() }), { link: value });
    expect(result.errors === undefined).toBe(accepted);
  });
});

describe('the password policy', () => {
  const { PASSWORD_TOO_SHORT: SHORT, PASSWORD_TOO_SIMPLE: SIMPLE, PASSWORD_NEEDS_BOTH_CASES: CASES, PASSWORD_TOO_LONG: LONG } = rules;

  it.each([
    ['Marquee-demo-1', []],
    ['Aa1!', [SHORT]],
    ['abcdefg1!', [CASES]],
    ['ABCDEFG1!', [CASES]],
    ['Abcdefgh!', [SIMPLE]],
    ['Abcdefg12', [SIMPLE]],
    ['Abcdefg1 ', [SIMPLE]],
    ['Abcdéfg1€', [SIMPLE]],
    ['12345678!', [SIMPLE]],
    ['abc', [SHORT, SIMPLE, CASES]],
    [`Aa1!${'é'.repeat(35)}`, [LONG]],
  ])('%j → %j', (password, problems) => {
    expect(rules.passwordProblems(password)).toEqual(problems);
  });

  it("accepts each of GoTrue's symbols, and only those", () => {
    const symbols = rules.PASSWORD_CHARACTER_CLASSES.symbols;
    expect([...symbols].filter((s) => rules.passwordProblems(`Abcdefg1${s}`).length > 0)).toEqual([]);
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const others = printable.filter((c) => !/[A-Za-z0-9]/.test(c) && !symbols.includes(c));
    expect(others).toEqual([' ']);
  });

  it("has the character classes Marquee Local's Auth uses for lower_upper_letters_digits_symbols", () => {
    const config = loadConfig({ quiet: true });
    const toml = { ...config.toml, auth: { ...(config.toml.auth as object), password_requirements: 'lower_upper_letters_digits_symbols' } };
    expect(readAuthSettings({ ...config, toml }).password.requiredCharacters).toEqual(Object.values(rules.PASSWORD_CHARACTER_CLASSES));
  });

  it('confirm_password, when sent, must match; the username must not be in the password', () => {
    const schema = rules.body({ username: rules.username, password: rules.password, confirm_password: rules.confirmPassword });
    const checks = rules.passwordChecks({ field: 'password' });
    expect(check(schema, { username: 'john_doe', password: 'Good-pass-1' }, checks).errors).toBeUndefined();
    expect(check(schema, { username: 'john_doe', password: 'Good-pass-1', confirm_password: 'Good-pass-1' }, checks).errors).toBeUndefined();
    expect(check(schema, { username: 'john_doe', password: 'Good-pass-1', confirm_password: 'Good-pass-2' }, checks).errors).toEqual({
      confirm_password: [rules.PASSWORDS_DO_NOT_MATCH],
    });
    expect(check(schema, { username: 'john_doe', password: 'X1!John_Doe' }, checks).errors).toEqual({ password: [rules.PASSWORD_TOO_SIMILAR] });
  });
});

describe('the functions use this module', () => {
  const functionsDir = path.join(root, 'functions');
  const sources = readdirSync(functionsDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));

  it('through one re-export of sdk/src/rules', () => {
    expect(readFileSync(path.join(functionsDir, '_shared', 'rules.ts'), 'utf8')).toContain("export * from '../../sdk/src/rules/index.ts';");
  });

  it('and keep no validation or password code of their own', () => {
    const own = sources.filter((file) => /passwordProblems\s*\(|function passwordProblems|const E164|\.email\(\{|z\.strictObject\(/.test(readFileSync(file, 'utf8')));
    expect(own.map((file) => path.relative(root, file))).toEqual([]);
  });
});
