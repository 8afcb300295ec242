import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { section, type LocalConfig } from '../config/index.ts';

/** One edge function as the host serves it. */
export interface FunctionDefinition {
  name: string;
  /** Absolute path of the module that calls `Deno.serve`. */
  entrypoint: string;
  verifyJwt: boolean;
}

/** A `[functions.<name>]` table of config.toml. */
export interface FunctionConfigEntry {
  enabled?: boolean;
  verify_jwt?: boolean;
  /** Relative to the `supabase/` folder, e.g. `../functions/hello/index.ts`. */
  entrypoint?: string;
}

/** The CLI's rule for function names. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Which functions exist, as the CLI decides it: every `[functions.<name>]` entry of config.toml
 * (unless `enabled = false`), and every folder of the functions directory holding an `index.ts`
 * (verify_jwt on). `_shared` and dot folders are never functions. Folders are looked up on demand,
 * so a function added while the stack runs is served without a restart.
 */
export class FunctionRegistry {
  private readonly configured = new Map<string, FunctionDefinition>();
  private readonly disabled = new Set<string>();

  constructor(
    private readonly functionsDir: string,
    entries: Record<string, FunctionConfigEntry>,
    supabaseDir: string,
  ) {
    for (const [name, entry] of Object.entries(entries)) {
      if (entry.enabled === false) {
        this.disabled.add(name);
        continue;
      }
      this.configured.set(name, {
        name,
        entrypoint: entry.entrypoint
          ? path.resolve(supabaseDir, entry.entrypoint)
          : path.join(functionsDir, name, 'index.ts'),
        verifyJwt: entry.verify_jwt ?? true,
      });
    }
  }

  /** Entrypoints of the functions config.toml names (they may lie outside the functions folder). */
  configuredEntrypoints(): string[] {
    return [...this.configured.values()].map((fn) => fn.entrypoint);
  }

  /** The function called `name`, or undefined when there is none (or it is disabled). */
  find(name: string): FunctionDefinition | undefined {
    if (!FUNCTION_NAME.test(name) || this.disabled.has(name)) return undefined;
    const configured = this.configured.get(name);
    if (configured) return configured;
    const entrypoint = path.join(this.functionsDir, name, 'index.ts');
    return isFile(entrypoint) ? { name, entrypoint, verifyJwt: true } : undefined;
  }

  /** Every function served right now: the configured ones and each folder holding an `index.ts`. */
  list(): FunctionDefinition[] {
    const folders = existsSync(this.functionsDir)
      ? readdirSync(this.functionsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
      : [];
    const names = new Set([...this.configured.keys(), ...folders]);
    return [...names].sort().flatMap((name) => this.find(name) ?? []);
  }
}

/** The `[functions]` table of config.toml as entries. */
export function configuredFunctions(config: LocalConfig): Record<string, FunctionConfigEntry> {
  const table = section(config.toml, 'functions');
  const entries: Record<string, FunctionConfigEntry> = {};
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== 'object' || value === null) continue;
    const raw = value as Record<string, unknown>;
    entries[name] = {
      enabled: typeof raw.enabled === 'boolean' ? raw.enabled : undefined,
      verify_jwt: typeof raw.verify_jwt === 'boolean' ? raw.verify_jwt : undefined,
      entrypoint: typeof raw.entrypoint === 'string' && raw.entrypoint ? raw.entrypoint : undefined,
    };
  }
  return entries;
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
