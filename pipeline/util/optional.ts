/**
 * Optional peer dependencies (the AWS SDK for `validate --live`, Pulumi for `gigawatt/pulumi`) are not
 * installed with gigawatt. This turns a missing one into an error that says what to install, instead of
 * Node's "Cannot find module" with a stack trace.
 */
import { GigawattError } from './errors';

/** Run `load` (a dynamic import); when it fails because one of `packages` is absent, say how to add them. */
export async function loadOptional<T>(
  load: () => Promise<T>,
  packages: readonly string[],
  feature: string,
): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw missingPeer(err, packages, feature);
  }
}

/** The synchronous form, for a module that needs the peer as it loads (`gigawatt/pulumi`). */
export function requireOptional<T>(load: () => T, packages: readonly string[], feature: string): T {
  try {
    return load();
  } catch (err) {
    throw missingPeer(err, packages, feature);
  }
}

function missingPeer(err: unknown, packages: readonly string[], feature: string): unknown {
  const e = err as NodeJS.ErrnoException;
  const missing = packages.find((p) => e?.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${p}'`));
  if (!missing) return err;
  return new GigawattError(
    'GW-E-USAGE',
    `${feature} needs ${packages.join(' and ')}, which are optional and not installed (${missing} is missing). ` +
      `Install them next to gigawatt: npm install ${packages.join(' ')}`,
  );
}
