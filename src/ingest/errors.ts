import { UserError } from '../errors.js';

/** Why an article was not added; each has one message a user can act on. */
export type RefusalReason =
  | 'bad-source'
  | 'unreachable'
  | 'http-status'
  | 'too-many-redirects'
  | 'timeout'
  | 'too-large'
  | 'not-html'
  | 'no-article'
  | 'exists'
  /** The address (or a redirect) leads off the public internet, and only public pages may be fetched. */
  | 'forbidden-address';

/**
 * The article cannot be added, and nothing was changed. The message is safe to show as it is
 * (the CLI prints it, the Discord command will answer with it); `reason` lets callers and tests
 * tell the cases apart without matching text.
 */
export class IngestRefusal extends UserError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'IngestRefusal';
  }
}
