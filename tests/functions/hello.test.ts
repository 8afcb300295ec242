import { FunctionsHttpError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';

/** The hello function through supabase-js, as an app calls it. */
const stack = stackEnv();
const supabase = anonClient();

async function failure(error: unknown): Promise<{ status: number; body: unknown }> {
  expect(error).toBeInstanceOf(FunctionsHttpError);
  const response = (error as FunctionsHttpError).context as Response;
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text body
  }
  return { status: response.status, body };
}

// The first call may start the function's Deno worker and fetch npm packages.
describe('functions/hello', { timeout: 90_000 }, () => {
  it('greets by name', async () => {
    const { data, error } = await supabase.functions.invoke('hello', { body: { name: 'Ada' } });
    expect(error).toBeNull();
    expect(data).toEqual({ message: 'Hello Ada!' });
  });

  it('answers 400 with field errors for invalid input', async () => {
    const missing = await supabase.functions.invoke('hello', { body: {} });
    expect(await failure(missing.error)).toEqual({ status: 400, body: { name: ['This field is required.'] } });

    const wrongType = await supabase.functions.invoke('hello', { body: { name: 42 } });
    expect(await failure(wrongType.error)).toEqual({ status: 400, body: { name: ['Not a valid string.'] } });

    const blank = await supabase.functions.invoke('hello', { body: { name: '   ' } });
    expect(await failure(blank.error)).toEqual({ status: 400, body: { name: ['This field may not be blank.'] } });
  });

  it('answers 401 without a valid JWT (verify_jwt = true)', async () => {
    const forged = await supabase.functions.invoke('hello', {
      body: { name: 'Ada' },
      headers: { Authorization: 'Bearer not-a-jwt' },
    });
    const { status, body } = await failure(forged.error);
    expect(status).toBe(401);
    if (stack.local) expect(body).toEqual({ msg: 'Invalid JWT' });

    const response = await fetch(`${stack.url}/functions/v1/hello`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(response.status).toBe(401);
    if (stack.local) expect(await response.json()).toEqual({ msg: 'Error: Missing authorization header' });
  });

  it('answers 404 for a function that does not exist', async () => {
    const { error } = await supabase.functions.invoke('no-such-function', { body: {} });
    const { status, body } = await failure(error);
    expect(status).toBe(404);
    if (stack.local) expect(body).toBe('Function not found');
  });
});
