import { existsSync } from 'node:fs';
import path from 'node:path';
import chokidar from 'chokidar';

/** Folders whose contents never affect a function's code. */
const IGNORED_DIRS = new Set(['node_modules', '.git']);
/** Editors' swap, backup and probe files (vim's `4913`, emacs' `.#lock`). */
const IGNORED_FILE = /(^4913$|^\.#|~$|\.sw[px]$|^\.DS_Store$)/;

export interface TreeWatcher {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  readonly ready: Promise<void>;
  close(): void;
}

export interface WatchTreeOptions {
  /** Quiet period after the last event before `onChange` is called with everything seen. */
  debounceMs: number;
  /** A watch that broke after it started (the tree keeps being watched as far as possible). */
  onError?: (error: Error) => void;
}

/**
 * Watches the trees under `roots` (missing roots are skipped) with chokidar, which follows new
 * folders and editors' rename-over saves, and calls `onChange` with the absolute paths that
 * changed, once per burst of events (editors write a file several times per save), with the
 * newest modification time (epoch ms) seen in the burst and each path's own — when the files
 * changed, not when the event arrived, so a worker that started after a write is known to have
 * read it.
 */
export function watchTree(
  roots: string[],
  onChange: (paths: string[], lastEventAt: number, changedAt: ReadonlyMap<string, number>) => void,
  options: WatchTreeOptions,
): TreeWatcher {
  const pending = new Map<string, number>();
  let lastEventAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const flush = () => {
    timer = undefined;
    const changes = new Map(pending);
    pending.clear();
    const newest = lastEventAt;
    lastEventAt = 0;
    if (!closed && changes.size > 0) onChange([...changes.keys()], newest, changes);
  };
  const report = (file: string, changedAt: number) => {
    if (closed) return;
    const resolved = path.resolve(file);
    pending.set(resolved, Math.max(pending.get(resolved) ?? 0, changedAt));
    lastEventAt = Math.max(lastEventAt, changedAt);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs);
  };

  const existing = roots.filter((root) => existsSync(root));
  const watcher = chokidar.watch(existing, {
    ignoreInitial: true,
    ignored: isIgnored,
    alwaysStat: true,
  });
  // A removal has no stats: it happened now.
  watcher.on('all', (_event, file, stats) => report(file, stats?.mtimeMs ?? Date.now()));
  watcher.on('error', (error) => options.onError?.(error as Error));
  const ready = existing.length ? new Promise<void>((resolve) => watcher.once('ready', () => resolve())) : Promise.resolve();

  return {
    ready,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      void watcher.close();
    },
  };
}

function isIgnored(file: string): boolean {
  return file.split(path.sep).some((part) => IGNORED_DIRS.has(part)) || IGNORED_FILE.test(path.basename(file));
}
