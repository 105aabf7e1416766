/**
 * Discord's JSON error bodies. Handlers throw `HttpError`; the router turns it into the response.
 */

export interface DiscordErrorBody {
  readonly code: number;
  readonly message: string;
  readonly errors?: FormErrors;
}

/** Nested form-body errors as Discord returns them: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export interface FormErrors {
  [key: string]: FormErrors | FormErrorEntry[];
}

export interface FormErrorEntry {
  readonly code: string;
  readonly message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody | Record<string, unknown>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${String((body as { message?: unknown }).message ?? '')}`);
  }
}

/** Collects field errors; `throwIfAny` raises one 400 Invalid Form Body (code 50035) with all of them. */
export class FormErrorCollector {
  readonly errors: FormErrors = {};
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node: FormErrors = this.errors;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (next === undefined || Array.isArray(next)) {
        const created: FormErrors = {};
        node[k] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const list = node['_errors'];
    if (Array.isArray(list)) list.push({ code, message });
    else node['_errors'] = [{ code, message }];
    this.#count++;
  }

  maxLength(path: readonly (string | number)[], max: number): void {
    this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  required(path: readonly (string | number)[]): void {
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }

  throwIfAny(): void {
    if (this.#count > 0) throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: this.errors });
  }
}

export const Errors = {
  unauthorized: () => new HttpError(401, { message: '401: Unauthorized', code: 0 }),
  notFound: () => new HttpError(404, { message: '404: Not Found', code: 0 }),
  methodNotAllowed: () => new HttpError(405, { message: '405: Method Not Allowed', code: 0 }),
  unknownApplication: () => new HttpError(404, { message: 'Unknown Application', code: 10002 }),
  unknownChannel: () => new HttpError(404, { message: 'Unknown Channel', code: 10003 }),
  unknownGuild: () => new HttpError(404, { message: 'Unknown Guild', code: 10004 }),
  unknownMember: () => new HttpError(404, { message: 'Unknown Member', code: 10007 }),
  unknownMessage: () => new HttpError(404, { message: 'Unknown Message', code: 10008 }),
  unknownUser: () => new HttpError(404, { message: 'Unknown User', code: 10013 }),
  unknownWebhook: () => new HttpError(404, { message: 'Unknown Webhook', code: 10015 }),
  unknownCommand: () => new HttpError(404, { message: 'Unknown application command', code: 10063 }),
  unknownInteraction: () => new HttpError(404, { message: 'Unknown interaction', code: 10062 }),
  alreadyAcknowledged: () => new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 }),
  missingAccess: () => new HttpError(403, { message: 'Missing Access', code: 50001 }),
  cannotEditOthers: () => new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 }),
  emptyMessage: () => new HttpError(400, { message: 'Cannot send an empty message', code: 50006 }),
  wrongChannelType: () => new HttpError(400, { message: 'Cannot execute action on this channel type', code: 50024 }),
  missingPermissions: () => new HttpError(403, { message: 'Missing Permissions', code: 50013 }),
  invalidWebhookToken: () => new HttpError(401, { message: 'Invalid Webhook Token', code: 50027 }),
  invalidJson: () => new HttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 }),
  threadAlreadyCreated: () =>
    new HttpError(400, { message: 'A thread has already been created for this message', code: 160004 }),
} as const;
