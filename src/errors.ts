/**
 * An error whose message is safe and useful to show to the person who caused it (bad input,
 * out-of-range passage). Anything that is not a UserError is logged and answered generically.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}
