/** An error the user can act on: its message is shown as is, with no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad input on the command line or in a preset: exit 2, nothing written. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A step failed after the files were written (install, git): exit 1. */
export class StepError extends CliError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'StepError';
  }
}

/** The user cancelled a prompt (Ctrl-C or Esc): exit 130. */
export class CancelledError extends CliError {
  constructor() {
    super('Cancelled: nothing was written.', 130);
    this.name = 'CancelledError';
  }
}
