/**
 * The `gigawatt` command line: a thin shell over pipeline/ and constructs/. Exit codes: 0 the plan passes, 1 the plan
 * has findings at or above --fail-on, 2 usage errors or input that cannot be read.
 */
import { Command, CommanderError, Option } from 'commander';
import { GigawattError } from '../pipeline/util/errors';
import { terminal } from '../pipeline/util/safe-text';
import { commands, packageVersion } from './commands';

export function buildProgram(): Command {
  const program = new Command('gigawatt')
    .description(
      'Plan, validate and synthesize accelerator clusters: AWS Trainium/GPU pools and on-prem GPU halls, checked for capacity, network and power before deployment.',
    )
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run gigawatt --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  for (const register of commands) register(program, { Option });
  return program;
}

let guarded = false;
/**
 * Output streams that fail: a reader that goes away (`gigawatt validate plan.yaml | head -1`, EPIPE) ends
 * the output quietly, and the exit code stays the verdict; any other write error (a full disk) is one
 * line on stderr and exit 2, as for an output directory that cannot be written. Never a stack trace.
 */
function guardOutputStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // Whatever is still to be written goes nowhere.
      stream.write = (() => true) as typeof stream.write;
      if (err.code === 'EPIPE') return;
      if (stream === process.stdout)
        process.stderr.write(`gigawatt: cannot write the output: ${terminal(err.message)}\n`);
      process.exit(2);
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  guardOutputStreams();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (err instanceof GigawattError) {
      // One line: the message may quote the plan or its file name, shown as text, never as a CI command.
      process.stderr.write(`gigawatt: ${terminal(err.message)}\n`);
      return err.exitCode;
    }
    process.stderr.write(`gigawatt: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
