/**
 * An error whose message is written for the client. Anything else that reaches the
 * error handler with a 5xx status is masked, so internals never leak.
 */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export const notFound = (detail: string) => new HttpProblem(404, detail);
export const conflict = (detail: string) => new HttpProblem(409, detail);
export const badRequest = (detail: string) => new HttpProblem(400, detail);

/**
 * What a log line may show of a database driver's error: nothing that can hold a value of a
 * query (`src/db/errors.ts` knows the driver).
 */
export interface LoggableError {
  /** The driver's message, or undefined when it can quote a value. */
  message: string | undefined;
  /** The driver's code and the names of the schema objects involved. */
  fields: Record<string, string | number | boolean | undefined>;
}
