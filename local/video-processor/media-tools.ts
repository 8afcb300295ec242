/**
 * ffprobe and ffmpeg, from the binaries the @ffprobe-installer and @ffmpeg-installer platform packages
 * ship inside the npm package (nothing is downloaded at install time): a video's duration and frame
 * height, and a JPEG thumbnail of one of its frames.
 */
import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** A file that keeps ffprobe or ffmpeg busy longer than this fails its upload rather than the processor. */
const TOOL_TIMEOUT_MS = 120_000;
const require = createRequire(import.meta.url);

let binaries: Promise<{ ffprobe: string; ffmpeg: string }> | undefined;

/** The binaries' paths; made executable once, in case the package's postinstall (a chmod) was not run. */
function tools(): Promise<{ ffprobe: string; ffmpeg: string }> {
  binaries ??= (async () => {
    const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
    const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    await Promise.all([ffprobe, ffmpeg].map((file) => chmod(file, 0o755).catch(() => undefined)));
    return { ffprobe, ffmpeg };
  })();
  return binaries;
}

export interface VideoFacts {
  durationSeconds: number;
  width: number;
  height: number;
}

/** The first video stream's frame size and the container's duration; throws when there is no video stream. */
export async function probeVideo(file: string): Promise<VideoFacts> {
  const { ffprobe } = await tools();
  const { stdout } = await run(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: TOOL_TIMEOUT_MS,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`ffprobe could not read the file: ${(error.stderr ?? error.message).trim().slice(0, 300)}`);
  });
  const parsed = JSON.parse(stdout) as {
    streams?: Array<{ codec_type?: string; width?: number; height?: number; duration?: string }>;
    format?: { duration?: string };
  };
  const video = parsed.streams?.find((stream) => stream.codec_type === 'video' && stream.width && stream.height);
  if (!video) throw new Error('The file has no video stream.');
  const duration = Number(parsed.format?.duration ?? video.duration);
  if (!Number.isFinite(duration) || duration < 0) throw new Error('The video has no duration.');
  return { durationSeconds: duration, width: video.width!, height: video.height! };
}

/** A JPEG of the frame at `atSeconds`, at most 720 px high, written to `output`. */
export async function writeThumbnail(file: string, atSeconds: number, output: string): Promise<void> {
  const { ffmpeg } = await tools();
  await run(ffmpeg, [
    '-v', 'error', '-y', '-ss', atSeconds.toFixed(3), '-i', file,
    '-frames:v', '1', '-vf', "scale=-2:'min(720,ih)'", '-q:v', '4', '-f', 'image2', output,
  ], { timeout: TOOL_TIMEOUT_MS });
}
