/**
 * Marquee Local's video processor service: runs the processor (processor.ts) beside the stack. It
 * wakes on `video_processing` notifications (service.begin_video_processing sends one) and every 30
 * seconds regardless, for uploads a stopped processor left claimed. One upload at a time: probing and
 * thumbnails are CPU work, and the stack shares its machine.
 */
import postgres from 'postgres';
import { apiUrl, dbUrl } from '../config/index.ts';
import type { ServiceContext } from '../shared/context.ts';
import { claimUploads, processUpload, type ProcessorApi } from './processor.ts';

// Notifications wake it at once; the sweep only picks up claims a stopped processor left behind.
const SWEEP_MS = 30_000;

export interface VideoProcessor {
  close(): Promise<void>;
}

export async function startVideoProcessor(ctx: ServiceContext): Promise<VideoProcessor> {
  const log = ctx.log.child({ service: 'video-processor' });
  const api: ProcessorApi = { apiUrl: apiUrl(ctx.config), serviceRoleKey: ctx.config.serviceRoleKey };
  // fetch_types off: it only listens, and postgres.js leaves its type fetch's promise unhandled when
  // a connection is cut mid-fetch (upstream issues 1192/1205), which would crash the stack on stop.
  const sql = postgres(dbUrl(ctx.config), {
    max: 1,
    fetch_types: false,
    onnotice: () => undefined,
    connection: { application_name: 'marquee-video-processor' },
  });
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;

  const drain = async () => {
    do {
      again = false;
      for (;;) {
        const claimed = await claimUploads(api, 1);
        if (claimed.length === 0 || closed) break;
        for (const upload of claimed) {
          const outcome = await processUpload(api, upload);
          log.info('video processed', { post_id: upload.post_id, outcome });
        }
      }
    } while (again && !closed);
  };
  const wake = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: Error) => log.warn('video processing failed', { error: error.message }))
      .finally(() => { running = undefined; });
  };

  const listener = await sql.listen('video_processing', wake);
  const sweep = setInterval(wake, SWEEP_MS);
  sweep.unref();
  wake();

  return {
    async close() {
      closed = true;
      clearInterval(sweep);
      await listener.unlisten().catch(() => undefined);
      await running;
      await sql.end({ timeout: 5 });
    },
  };
}
