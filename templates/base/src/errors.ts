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
