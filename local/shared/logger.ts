/** One JSON object a line on stdout, as the CLI stack's services log; `quiet` silences info. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(options: { quiet?: boolean; base?: Record<string, unknown> } = {}): Logger {
  const base = options.base ?? {};
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (options.quiet && level === 'info') return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...fields });
    (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ quiet: options.quiet, base: { ...base, ...fields } }),
  };
}
