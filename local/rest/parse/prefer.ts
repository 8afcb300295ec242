/** The `Prefer` request header (RFC 7240) as PostgREST reads it. */

export interface Preferences {
  return: 'minimal' | 'headers-only' | 'representation' | undefined;
  count: 'exact' | 'planned' | 'estimated' | undefined;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  missing: 'default' | 'null' | undefined;
  tx: 'commit' | 'rollback' | undefined;
  params: 'single-object' | undefined;
  handling: 'strict' | 'lenient' | undefined;
  maxAffected: number | undefined;
  timezone: string | undefined;
  /** Preferences PostgREST does not know (reported with handling=strict). */
  invalid: string[];
}

const ALLOWED: Record<string, string[]> = {
  return: ['minimal', 'headers-only', 'representation'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  tx: ['commit', 'rollback'],
  params: ['single-object'],
  handling: ['strict', 'lenient'],
};

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = {
    return: undefined, count: undefined, resolution: undefined, missing: undefined, tx: undefined,
    params: undefined, handling: undefined, maxAffected: undefined, timezone: undefined, invalid: [],
  };
  if (!header) return prefs;
  for (const raw of header.split(',')) {
    const token = raw.trim();
    if (!token) continue;
    const [name = '', value = ''] = token.split('=').map((p) => p.trim());
    if (name in ALLOWED && ALLOWED[name]!.includes(value)) {
      (prefs as unknown as Record<string, string>)[name] = value;
    } else if (name === 'max-affected' && /^\d+$/.test(value)) {
      prefs.maxAffected = Number(value);
    } else if (name === 'timezone' && value) {
      prefs.timezone = value;
    } else {
      prefs.invalid.push(token);
    }
  }
  return prefs;
}
