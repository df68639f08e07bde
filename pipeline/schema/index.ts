import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { GigawattError } from '../util/errors';
import { MAX_PLAN_BYTES, parsePlanText, PlanSource } from './source';
import { validatePlanShape, type SchemaResult } from './validate';

export * from './plan-schema';
export * from './source';
export * from './validate';

export type LoadedPlan = SchemaResult & { readonly source: PlanSource };

const KIND = (st: Stats): string =>
  st.isDirectory()
    ? 'is a directory'
    : st.isFIFO()
      ? 'is a FIFO, not a regular file'
      : st.isSocket()
        ? 'is a socket, not a regular file'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'is a device, not a regular file'
          : 'is not a regular file';

const tooLarge = (file: string) =>
  new GigawattError(
    'GW-E-TOO-LARGE',
    `${file}: plan is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MiB; split the fleet into several plans.`,
  );

/**
 * Read the plan text of a file. The path must name a regular file itself: a symlink is refused, never
 * followed (a pull request can commit `plan.yaml -> ../.git/config` or `-> /dev/zero`), and so are FIFOs,
 * devices and directories. The size is checked before a byte is read, and the read stops at the cap even
 * if the file grows. Unreadable, special or oversized files throw GigawattError (exit 2).
 */
export function readPlanFile(file: string): string {
  const cannot = (why: string) => new GigawattError('GW-E-READ', `${file}: cannot read the plan (${why}).`);
  const errno = (err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    return cannot(
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'is a directory'
          : e.code === 'EACCES'
            ? 'permission denied'
            : e.code === 'ELOOP'
              ? 'is a symlink; give the file itself'
              : (e.code ?? 'unknown error'),
    );
  };
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (err) {
    throw errno(err);
  }
  if (st.isSymbolicLink()) throw cannot('is a symlink; give the file itself');
  if (!st.isFile()) throw cannot(KIND(st));
  if (st.size > MAX_PLAN_BYTES) throw tooLarge(file);
  let fd: number;
  try {
    // O_NOFOLLOW and O_NONBLOCK: a symlink or FIFO swapped in after the lstat fails or does not block.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    throw errno(err);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev)
      throw cannot('changed while it was opened');
    if (opened.size > MAX_PLAN_BYTES) throw tooLarge(file);
    // Read at most one byte past the size checked: a file that grows meanwhile is refused, not read whole.
    const buffer = Buffer.alloc(opened.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > opened.size) throw cannot('it grew while it was read');
    return buffer.subarray(0, length).toString('utf8');
  } catch (err) {
    if (err instanceof GigawattError) throw err;
    throw errno(err);
  } finally {
    closeSync(fd);
  }
}

/** Parse and schema-check plan text. Text that is not YAML/JSON throws GigawattError (exit 2). */
export function loadPlanText(text: string, file: string, reading: 'auto' | 'full' = 'auto'): LoadedPlan {
  const { value, source } = parsePlanText(text, file, reading);
  return { ...validatePlanShape(value, source), source };
}

export const loadPlanFile = (file: string): LoadedPlan => loadPlanText(readPlanFile(file), file);
