/**
 * Object bytes on disk, laid out as storage-api's file backend lays them out:
 * `<root>/<bucket>/<key>/<version>`. Writes go to a temporary file first and are renamed into
 * place, so a reader never sees half a file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS } from '../errors.ts';

export interface StoredFile {
  size: number;
  eTag: string;
  lastModified: Date;
}

export class FileStore {
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, '.tmp');
  }

  /** The file of one version of an object; refuses anything resolving outside its bucket's folder. */
  pathOf(bucket: string, key: string, version: string): string {
    const bucketDir = path.resolve(this.root, bucket);
    const full = path.resolve(bucketDir, key, version);
    const inside = (dir: string, file: string) => file.startsWith(dir + path.sep);
    if (bucket.startsWith('.') || !inside(this.root, bucketDir) || !inside(bucketDir, full)) throw ERRORS.invalidKey(key);
    return full;
  }

  /**
   * Streams `body` into the object's version file (temp file + rename), counting bytes and the MD5
   * the ETag is made of. Over `maxBytes` the write stops, nothing is kept, and it fails with 413.
   */
  async write(bucket: string, key: string, version: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
    const target = this.pathOf(bucket, key, version);
    await mkdir(this.tmpDir, { recursive: true });
    const temp = path.join(this.tmpDir, randomUUID());
    const hash = createHash('md5');
    let size = 0;
    const out = createWriteStream(temp);
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes) throw ERRORS.entityTooLarge();
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      // The stream may still be opening its file: wait until it is closed before removing it.
      await new Promise<void>((resolve) => {
        if (out.closed) resolve();
        else {
          out.once('close', () => resolve());
          out.destroy();
        }
      });
      await rm(temp, { force: true });
      throw error;
    }
    const info = await stat(target);
    return { size, eTag: `"${hash.digest('hex')}"`, lastModified: info.mtime };
  }

  /** Appends to a partial file (resumable uploads), returning its new size. */
  async append(file: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
    await mkdir(path.dirname(file), { recursive: true });
    const start = await this.sizeOf(file);
    let size = start;
    const out = createWriteStream(file, { flags: 'a' });
    let refused = false;
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          refused = true;
          throw ERRORS.entityTooLarge();
        }
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
      // A refused request keeps none of its bytes: the upload's offset is what it was.
      if (refused) await truncate(file, start);
    }
    return this.sizeOf(file);
  }

  async sizeOf(file: string): Promise<number> {
    return stat(file).then((s) => s.size, () => 0);
  }

  /** Moves a finished file (e.g. a completed resumable upload) into an object's version. */
  async adopt(file: string, bucket: string, key: string, version: string): Promise<StoredFile> {
    const target = this.pathOf(bucket, key, version);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(file, target);
    return this.describe(target);
  }

  async copy(from: { bucket: string; key: string; version: string }, to: { bucket: string; key: string; version: string }): Promise<StoredFile> {
    const source = this.pathOf(from.bucket, from.key, from.version);
    const target = this.pathOf(to.bucket, to.key, to.version);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
    return this.describe(target);
  }

  async exists(bucket: string, key: string, version: string): Promise<boolean> {
    return stat(this.pathOf(bucket, key, version)).then(() => true, () => false);
  }

  /** The bytes `start..end` (inclusive) of a version, or all of it. */
  read(bucket: string, key: string, version: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
    const stream = createReadStream(this.pathOf(bucket, key, version), range ? { start: range.start, end: range.end } : {});
    return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  }

  /** Removes one version and any folders it leaves empty. */
  async remove(bucket: string, key: string, version: string): Promise<void> {
    const file = this.pathOf(bucket, key, version);
    await rm(file, { force: true });
    await this.pruneEmpty(path.dirname(file), path.join(this.root, bucket));
  }

  /** Removes every version of an object except `keep` (after an overwrite). */
  async removeOtherVersions(bucket: string, key: string, keep: string): Promise<void> {
    const dir = path.dirname(this.pathOf(bucket, key, keep));
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((e) => e.isFile() && e.name !== keep).map((e) => rm(path.join(dir, e.name), { force: true })));
  }

  async removeBucket(bucket: string): Promise<void> {
    const dir = path.resolve(this.root, bucket);
    if (dir.startsWith(this.root + path.sep)) await rm(dir, { recursive: true, force: true });
  }

  private async describe(file: string): Promise<StoredFile> {
    const hash = createHash('md5');
    let size = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    return { size, eTag: `"${hash.digest('hex')}"`, lastModified: (await stat(file)).mtime };
  }

  private async pruneEmpty(dir: string, stopAt: string): Promise<void> {
    let current = dir;
    while (current.startsWith(stopAt + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }
}
