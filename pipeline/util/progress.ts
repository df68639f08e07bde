/**
 * Progress for long work (synth and inventory of large plans): a bar on stderr when it is a terminal and
 * CI is not set; silent otherwise, so logs and pipes stay clean.
 */
import type { SingleBar } from 'cli-progress';

export interface Progress {
  step(label: string): void;
  done(): void;
}

const silent: Progress = { step: () => undefined, done: () => undefined };

/**
 * The stream a bar draws on (process.stderr by default). Typed here rather than as NodeJS.WriteStream so
 * that the package's declarations need no @types/node in a user's project.
 */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(chunk: string): boolean;
}

export function progress(total: number, stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY || process.env.CI) return silent;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar: Bar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar: SingleBar = new Bar(
    {
      stream: stream as NodeJS.WritableStream,
      format: '{bar} {value}/{total} {label}',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    step: (label) => bar.increment(1, { label }),
    done: () => bar.stop(),
  };
}
