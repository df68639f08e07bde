/**
 * Errors a user can cause, in one place, with stable codes. The CLI prints their message (never a stack
 * trace) and exits 2 for input the tool cannot read and 1 for a plan it read but rejects.
 */
export type ErrorCode =
  | 'GW-E-READ' // the plan file cannot be read
  | 'GW-E-PARSE' // the plan is not YAML/JSON
  | 'GW-E-TOO-LARGE' // the plan exceeds the size limit
  | 'GW-E-USAGE' // wrong command-line usage
  | 'GW-E-OUTPUT'; // an output directory cannot be written

export class GigawattError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'GigawattError';
  }
}
