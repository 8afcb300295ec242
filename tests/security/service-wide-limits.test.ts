/**
 * The whole service's hourly cap on texts (issue 7, item 6). The hour's log is brought to its limit
 * for a moment, which any other phone sign-up would meet too, so vitest.config.ts runs this file
 * after the rest of the suite, alone.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../functions/_shared/limits.ts';
import { call, phoneNumber, type Reply, sql } from '../functions/accounts.ts';

describe('phone-signup/send-code, for the whole service', () => {
  it(`stops at ${LIMITS.smsGlobal.limit} texts an hour for the whole service`, async () => {
    // The hour's log is brought to its limit and put back at once.
    const number = phoneNumber();
    const filler = await sql<{ id: string }>(
      `insert into private.rate_limit_hits (bucket, key) select $1, 'global' from generate_series(1, $2) returning id::text`,
      [LIMITS.smsGlobal.bucket, LIMITS.smsGlobal.limit],
    );
    let reply: Reply;
    try {
      reply = await call('phone-signup/send-code', { phone_number: number });
    } finally {
      await sql('delete from private.rate_limit_hits where id = any($1::bigint[])', [filler.map((row) => row.id)]);
    }
    expect(reply).toMatchObject({ status: 429, body: { detail: 'Too many requests. Please try again later.' } });
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sql('select 1 from private.sms_outbox where phone = $1', [number])).toEqual([]);
  });
});
