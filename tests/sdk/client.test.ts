import { SupabaseClient, createClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import ws from 'ws';
import { createMarquee, paginate, type Database, type Marquee, type RangeableQuery } from '../../sdk/src/index.ts';

// Node 20 has no global WebSocket: supabase-js needs a transport for Realtime (Node 22+ does not).
type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;
const options: SupabaseClientOptions<'public'> = {
  auth: { persistSession: false },
  realtime: { transport: ws as unknown as Transport },
};

describe('createMarquee', () => {
  it('creates a typed supabase client from url and key', () => {
    const marquee = createMarquee({ url: 'http://127.0.0.1:54321', key: 'anon-key', options });
    expect(marquee.supabase).toBeInstanceOf(SupabaseClient);
    expect(Object.isFrozen(marquee)).toBe(true);
  });

  it('wraps an existing client', () => {
    const supabase = createClient<Database>('http://127.0.0.1:54321', 'anon-key', options);
    const marquee: Marquee = createMarquee({ client: supabase });
    expect(marquee.supabase).toBe(supabase);
  });

  it('marquee.posts carries the post modules: writes, lists, interactions, tags', () => {
    const { posts } = createMarquee({ url: 'http://127.0.0.1:54321', key: 'anon-key', options });
    const methods = ['create', 'update', 'remove', 'addMedia', 'list', 'get', 'byUser', 'byTag', 'like', 'unlike', 'hide', 'report', 'view', 'setTags', 'setMentions', 'listTags'];
    for (const method of methods) expect(typeof (posts as unknown as Record<string, unknown>)[method], method).toBe('function');
  });

  it('supabase-js query builders fit paginate()', () => {
    type None = { [_ in never]: never };
    // Type-level: a real builder satisfies RangeableQuery (the call is never awaited).
    type Generic = SupabaseClient<{ public: { Tables: { t: { Row: { id: number }; Insert: { id?: number }; Update: { id?: number }; Relationships: [] } }; Views: None; Functions: None; Enums: None; CompositeTypes: None } }>;
    const client = createClient('http://127.0.0.1:54321', 'anon-key', options) as unknown as Generic;
    const builder = client.from('t').select('id', { count: 'exact' }).order('id');
    expectTypeOf(builder).toExtend<RangeableQuery<{ id: number }>>();
    expectTypeOf(paginate<{ id: number }>).toBeFunction();
  });
});
