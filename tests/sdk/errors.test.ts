import {
  AuthApiError,
  AuthRetryableFetchError,
  AuthWeakPasswordError,
  FunctionsFetchError,
  FunctionsHttpError,
  FunctionsRelayError,
  PostgrestError,
  StorageApiError,
} from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MarqueeError, fromZodIssues, isMarqueeError, toMarqueeError, unwrap } from '../../sdk/src/index.ts';

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('MarqueeError', () => {
  it('carries status, code, detail and fields and is recognised by the guard', () => {
    const e = new MarqueeError({ status: 400, code: 'validation_failed', detail: 'email: Required.', fields: { email: ['Required.'] } });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('email: Required.');
    expect(isMarqueeError(e)).toBe(true);
    expect(e.toJSON()).toEqual({ email: ['Required.'] });
    expect(new MarqueeError({ status: 404, code: 'not_found', detail: 'Not found.' }).toJSON()).toEqual({ detail: 'Not found.', code: 'not_found' });
  });

  it('the guard rejects other values', () => {
    for (const x of [null, undefined, 'x', new Error('x'), { status: 400 }]) expect(isMarqueeError(x)).toBe(false);
  });
});

describe('toMarqueeError', () => {
  it('returns a MarqueeError unchanged', async () => {
    const e = new MarqueeError({ status: 409, code: 'conflict', detail: 'Already following.' });
    expect(await toMarqueeError(e)).toBe(e);
  });

  // PostgREST: the status lives on the result, so callers pass it; without it the code decides.
  it.each([
    ['42501', 401, 401],
    ['42501', undefined, 403],
    ['23505', undefined, 409],
    ['23503', undefined, 409],
    ['PGRST116', undefined, 406],
    ['PGRST301', undefined, 401],
    ['P0001', undefined, 400],
    ['22P02', undefined, 400],
    ['42P01', undefined, 404],
    ['PGRST103', 416, 416],
  ])('PostgrestError %s (status %s) → %s', async (code, status, expected) => {
    const error = new PostgrestError({ code, message: `m-${code}`, details: 'd', hint: 'h' });
    const e = await toMarqueeError(error, status === undefined ? {} : { status });
    expect(e).toMatchObject({ status: expected, code, detail: `m-${code}` });
    expect(e.fields).toBeUndefined();
    expect(e.cause).toBe(error);
  });

  it('PostgREST plain JSON error (not a class instance)', async () => {
    const e = await toMarqueeError({ code: '23505', message: 'duplicate key value violates unique constraint', details: null, hint: null });
    expect(e).toMatchObject({ status: 409, code: '23505', detail: 'duplicate key value violates unique constraint' });
  });

  it("keeps PostgREST's hint and details (item 14), and shows them in toJSON", async () => {
    const e = await toMarqueeError(
      new PostgrestError({
        code: '23503',
        message: 'insert or update on table "follows" violates foreign key constraint "follows_followed_id_fkey"',
        details: 'Key (followed_id)=(00000000-0000-0000-0000-000000000000) is not present in table "profiles".',
        hint: 'Follow an existing user.',
      }),
      { status: 409 },
    );
    expect({ hint: e.hint, details: e.details }).toEqual({
      hint: 'Follow an existing user.',
      details: 'Key (followed_id)=(00000000-0000-0000-0000-000000000000) is not present in table "profiles".',
    });
    expect(e.toJSON()).toMatchObject({ code: '23503', hint: 'Follow an existing user.', details: expect.stringContaining('Key (followed_id)') });
    const bare = await toMarqueeError({ code: '23505', message: 'duplicate', details: null, hint: null });
    expect({ hint: bare.hint, details: bare.details }).toEqual({ hint: undefined, details: undefined });
  });

  it('AuthApiError keeps GoTrue status and code', async () => {
    const e = await toMarqueeError(new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'));
    expect(e).toMatchObject({ status: 400, code: 'invalid_credentials', detail: 'Invalid login credentials' });
  });

  it('AuthApiError without a code gets one from the status', async () => {
    const e = await toMarqueeError(new AuthApiError('Too many requests', 429, undefined));
    expect(e).toMatchObject({ status: 429, code: 'too_many_requests' });
  });

  it('AuthWeakPasswordError becomes a password field error', async () => {
    const e = await toMarqueeError(new AuthWeakPasswordError('Password should be at least 6 characters.', 422, ['length']));
    expect(e).toMatchObject({ status: 422, code: 'weak_password', fields: { password: ['Password should be at least 6 characters.'] } });
  });

  it('AuthRetryableFetchError is a network error', async () => {
    const e = await toMarqueeError(new AuthRetryableFetchError('fetch failed', 0));
    expect(e).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('StorageApiError: service code kept, numeric statusCode replaced by a name', async () => {
    expect(await toMarqueeError(new StorageApiError('Object not found', 404, 'NoSuchKey'))).toMatchObject({
      status: 404,
      code: 'NoSuchKey',
      detail: 'Object not found',
    });
    expect(await toMarqueeError(new StorageApiError('new row violates row-level security policy', 403, '403'))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });

  it('FunctionsHttpError with 400 {"field": ["msg"]} → fields', async () => {
    const error = new FunctionsHttpError(json({ email: ['Enter a valid email address.'], password: ['This field is required.'] }, 400));
    const e = await toMarqueeError(error);
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.fields).toEqual({ email: ['Enter a valid email address.'], password: ['This field is required.'] });
    expect(e.detail).toContain('email: Enter a valid email address.');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [429, 'too_many_requests'],
  ])('FunctionsHttpError %s {"detail": "msg"} → detail', async (status, code) => {
    const e = await toMarqueeError(new FunctionsHttpError(json({ detail: 'Nope.' }, status)));
    expect(e).toMatchObject({ status, code, detail: 'Nope.' });
    expect(e.fields).toBeUndefined();
  });

  it('FunctionsHttpError body code wins over the status name', async () => {
    const e = await toMarqueeError(new FunctionsHttpError(json({ detail: 'Wait a minute.', code: 'otp_rate_limited' }, 429)));
    expect(e).toMatchObject({ status: 429, code: 'otp_rate_limited', detail: 'Wait a minute.' });
  });

  it('FunctionsHttpError with a text body', async () => {
    const e = await toMarqueeError(new FunctionsHttpError(new Response('boom', { status: 500 })));
    expect(e).toMatchObject({ status: 500, code: 'internal_error', detail: 'boom' });
  });

  it('FunctionsHttpError whose body was already read still converts', async () => {
    const response = json({ detail: 'x' }, 403);
    await response.text();
    const e = await toMarqueeError(new FunctionsHttpError(response));
    expect(e).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('FunctionsRelayError', async () => {
    const e = await toMarqueeError(new FunctionsRelayError(new Response('', { status: 502 })));
    expect(e).toMatchObject({ status: 502, code: 'relay_error' });
  });

  it('FunctionsFetchError is a network error', async () => {
    const e = await toMarqueeError(new FunctionsFetchError(new TypeError('fetch failed')));
    expect(e).toMatchObject({ status: 0, code: 'network_error', detail: 'fetch failed' });
  });

  it('fetch failures are network errors', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(await toMarqueeError(new TypeError('fetch failed', { cause }))).toMatchObject({ status: 0, code: 'network_error' });
    expect(await toMarqueeError(new DOMException('aborted', 'AbortError'))).toMatchObject({ status: 0, code: 'network_error' });
    const real = await fetch('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(await toMarqueeError(real)).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('a zod error becomes 400 fields', async () => {
    const parsed = z.object({ email: z.email(), age: z.number().int() }).safeParse({ email: 'x', age: 1.5 });
    expect(parsed.success).toBe(false);
    const e = await toMarqueeError(parsed.error);
    expect(e.status).toBe(400);
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['age', 'email']);
    expect(fromZodIssues([{ path: [], message: 'Bad.' }]).fields).toEqual({ non_field_errors: ['Bad.'] });
  });

  it('a Response thrown as is', async () => {
    expect(await toMarqueeError(json({ detail: 'Gone.' }, 404))).toMatchObject({ status: 404, code: 'not_found', detail: 'Gone.' });
  });

  it('plain errors and other values are 500 unknown', async () => {
    expect(await toMarqueeError(new Error('kaput'))).toMatchObject({ status: 500, code: 'unknown', detail: 'kaput' });
    expect(await toMarqueeError('kaput')).toMatchObject({ status: 500, code: 'unknown', detail: 'kaput' });
    expect(await toMarqueeError(undefined)).toMatchObject({ status: 500, code: 'unknown' });
  });
});

describe('unwrap', () => {
  it('returns data', async () => {
    expect(await unwrap(Promise.resolve({ data: [1, 2], error: null, status: 200 }))).toEqual([1, 2]);
  });

  it('throws the error with the result status', async () => {
    const error = new PostgrestError({ code: '42501', message: 'permission denied for table posts', details: '', hint: '' });
    await expect(unwrap({ data: null, error, status: 401 })).rejects.toMatchObject({ status: 401, code: '42501' });
  });

  it('converts a rejected promise', async () => {
    await expect(unwrap(Promise.reject(new TypeError('fetch failed')))).rejects.toSatisfy(isMarqueeError);
  });
});
