/** Names, keys, sizes and MIME types as storage-api validates them. */
import { ERRORS } from './errors.ts';

// storage-api's S3-safe character sets (src/storage/limits.ts).
const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

export function mustBeValidKey(key: string | undefined): asserts key is string {
  if (!key || !VALID_OBJECT_KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.')) {
    throw ERRORS.invalidKey(key ?? '');
  }
}

export function mustBeValidBucketName(name: string | undefined): asserts name is string {
  if (!name || name.trim() !== name || name.length > 100 || !VALID_BUCKET_NAME.test(name) || name === '.' || name === '..') {
    throw ERRORS.invalidBucketName();
  }
}

/** A bucket's `file_size_limit` given as text: storage-api's decimal units (20GB, 20MB, 30KB, 3B). */
export function parseBucketSizeLimit(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value.trim());
  if (!match) throw ERRORS.invalidFileSizeLimit();
  const amount = Number(Number.parseFloat(match[1]!).toPrecision(3));
  const unit = { GB: 1e9, MB: 1e6, KB: 1e3, B: 1 }[match[2]!.toUpperCase() as 'GB' | 'MB' | 'KB' | 'B'];
  return Math.round(amount * unit);
}

/**
 * config.toml's `[storage] file_size_limit` ("50MiB", "5MB", "500KB" or bytes): the Supabase CLI
 * reads it with go-units' RAMInBytes, where every unit is binary (MB = MiB = 1024²).
 */
export function parseConfigSizeLimit(value: unknown, fallback = 50 * 1024 * 1024): number {
  if (typeof value === 'number' && value > 0) return value;
  if (typeof value !== 'string') return fallback;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(value);
  if (!match) throw new Error(`[storage] file_size_limit: cannot read "${value}" as a size`);
  const power = ' kmgtp'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** Whether `mimeType` is one of `allowed` (`image/*` wildcards), as storage-api's validateMimeType. */
export function mustBeAllowedMimeType(mimeType: string, allowed: string[] | null | undefined): void {
  if (!allowed || allowed.length === 0) return;
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  const [type, subtype] = base.split('/');
  if (!type || !subtype) throw ERRORS.invalidMimeType(mimeType);
  const ok = allowed.some((entry) => {
    const [allowedType, allowedSubtype] = entry.split(';')[0]!.trim().toLowerCase().split('/');
    if (entry.trim().toLowerCase() === mimeType.trim().toLowerCase()) return true;
    return allowedType === type && (allowedSubtype === '*' || allowedSubtype === subtype);
  });
  if (!ok) throw ERRORS.invalidMimeType(mimeType);
}

/** The allowed MIME types a bucket may declare (storage-api's Storage.validateMimeType). */
export function mustBeValidMimeTypeList(types: string[]): void {
  for (const type of types) {
    if (type.length > 1000 || !/^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9-]+)?$|\*$/.test(type)) {
      throw ERRORS.invalidMimeType(type);
    }
  }
}
