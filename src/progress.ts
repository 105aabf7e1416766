import type { ProgressInfo } from '@huggingface/transformers';
import type { IndexEvent } from './core/article-index.js';
import type { Logger } from './log.js';

/**
 * Shows model downloads and index builds: a redrawn bar on an interactive terminal, plain log
 * lines (start, every quarter, done) otherwise so that service logs stay readable.
 */
export interface ProgressReporters {
  readonly download: (info: ProgressInfo) => void;
  readonly index: (event: IndexEvent) => void;
}

export function createProgressReporters(
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
  { bars = stream.isTTY === true }: { readonly bars?: boolean } = {},
): ProgressReporters {
  const tty = bars;
  const lastQuarter = new Map<string, number>();
  const drawBar = (label: string, fraction: number, detail: string) => {
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    stream.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${detail}`);
  };

  return {
    download(info) {
      if (info.status === 'download') {
        if (!tty) logger.info('Downloading model file', { model: info.name, file: info.file });
      } else if (info.status === 'progress') {
        const fraction = info.total > 0 ? info.loaded / info.total : 0;
        if (tty) {
          lastQuarter.set(info.file, 0);
          drawBar(`Downloading ${info.file}`, fraction, `${formatBytes(info.loaded)} / ${formatBytes(info.total)}`);
        } else {
          const quarter = Math.floor(fraction * 4);
          if (!lastQuarter.has(info.file)) lastQuarter.set(info.file, 0);
          if (quarter > lastQuarter.get(info.file)! && quarter < 4) {
            lastQuarter.set(info.file, quarter);
            logger.info('Downloading model file', { file: info.file, percent: quarter * 25, bytes: `${formatBytes(info.loaded)}/${formatBytes(info.total)}` });
          }
        }
      } else if (info.status === 'done') {
        if (tty && lastQuarter.has(info.file)) stream.write('\n');
        if (!tty && lastQuarter.has(info.file)) logger.info('Downloaded model file', { file: info.file });
        lastQuarter.delete(info.file);
      }
    },
    index(event) {
      switch (event.type) {
        case 'loaded':
          logger.info('Loaded stored passage vectors', { dir: event.dir });
          break;
        case 'rebuilding':
          logger.info('Building passage vectors', { reason: event.reason });
          break;
        case 'progress':
          if (tty) {
            drawBar('Embedding article', event.total > 0 ? event.done / event.total : 1, `${event.done}/${event.total} texts`);
            if (event.done === event.total) stream.write('\n');
          }
          break;
        case 'saved':
          logger.info('Saved passage vectors', { dir: event.dir, seconds: event.seconds.toFixed(1) });
          break;
      }
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
