import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { FormErrorCollector } from './errors.js';

/**
 * Discord's documented limits, checked the way the API checks them: every violation is collected
 * into one 400 Invalid Form Body (code 50035) whose `errors` mirror the request's shape.
 *
 * Lengths count Unicode code points (as Discord's API does), not UTF-16 code units.
 */

export const LIMITS = {
  /** What a bot may send. */
  content: 2000,
  /** What a user may send: 4000 with Nitro (2000 without); the fake lets tests send the most a user can. */
  userContent: 4000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectPlaceholder: 150,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  threadName: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
} as const;

type Path = readonly (string | number)[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in Unicode code points. */
export function textLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function checkString(form: FormErrorCollector, path: Path, value: unknown, max: number, required = false): number {
  if (value === undefined || value === null) {
    if (required) form.required(path);
    return 0;
  }
  if (typeof value !== 'string') {
    form.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return 0;
  }
  const length = textLength(value);
  if (required && value.trim() === '') form.required(path);
  if (length > max) form.maxLength(path, max);
  return length;
}

/**
 * Checks the message fields of a create/edit body (`content`, `embeds`, `components`, `allowed_mentions`,
 * `flags`). `prefix` nests the errors, e.g. `['data']` for an interaction callback.
 */
export function validateMessageFields(body: Record<string, unknown>, form: FormErrorCollector, prefix: Path = []): void {
  const flags = typeof body['flags'] === 'number' ? body['flags'] : 0;
  const componentsV2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  checkString(form, [...prefix, 'content'], body['content'], LIMITS.content);

  if (componentsV2) {
    for (const legacy of ['content', 'embeds', 'poll', 'stickers'] as const) {
      const v = body[legacy];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '') {
        form.add(
          [...prefix, legacy],
          'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
          'The \'content\', \'embeds\', \'stickers\', and \'poll\' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2',
        );
      }
    }
  }

  const embeds = body['embeds'];
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) form.add([...prefix, 'embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    else validateEmbeds(embeds, form, [...prefix, 'embeds']);
  }

  const components = body['components'];
  if (components !== undefined && components !== null) {
    if (!Array.isArray(components)) form.add([...prefix, 'components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    else if (!componentsV2) validateActionRows(components, form, [...prefix, 'components']);
    else validateCustomIds(components, form, [...prefix, 'components']);
  }

  const allowed = body['allowed_mentions'];
  if (isRecord(allowed) && Array.isArray(allowed['parse'])) {
    for (const kind of ['users', 'roles'] as const) {
      if (allowed['parse'].includes(kind) && Array.isArray(allowed[kind]) && allowed[kind].length > 0) {
        form.add(
          [...prefix, 'allowed_mentions'],
          'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
          `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
        );
      }
    }
  }
}

function validateEmbeds(embeds: unknown[], form: FormErrorCollector, path: Path): void {
  if (embeds.length > LIMITS.embeds) form.maxLength(path, LIMITS.embeds);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = [...path, i];
    if (!isRecord(embed)) {
      form.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    total += checkString(form, [...at, 'title'], embed['title'], LIMITS.embedTitle);
    total += checkString(form, [...at, 'description'], embed['description'], LIMITS.embedDescription);
    const color = embed['color'];
    if (color !== undefined && color !== null && (!Number.isInteger(color) || (color as number) < 0 || (color as number) > 0xffffff)) {
      form.add([...at, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    const footer = embed['footer'];
    if (isRecord(footer)) total += checkString(form, [...at, 'footer', 'text'], footer['text'], LIMITS.embedFooterText, true);
    const author = embed['author'];
    if (isRecord(author)) total += checkString(form, [...at, 'author', 'name'], author['name'], LIMITS.embedAuthorName, true);
    const fields = embed['fields'];
    if (Array.isArray(fields)) {
      if (fields.length > LIMITS.embedFields) form.maxLength([...at, 'fields'], LIMITS.embedFields);
      fields.forEach((field, j) => {
        const fat = [...at, 'fields', j];
        if (!isRecord(field)) {
          form.add(fat, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        total += checkString(form, [...fat, 'name'], field['name'], LIMITS.embedFieldName, true);
        total += checkString(form, [...fat, 'value'], field['value'], LIMITS.embedFieldValue, true);
      });
    }
  });
  if (total > LIMITS.embedTotal) {
    form.add(path, 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  }
}

function validateActionRows(rows: unknown[], form: FormErrorCollector, path: Path): void {
  if (rows.length > LIMITS.actionRows) form.maxLength(path, LIMITS.actionRows);
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const at = [...path, i];
    if (!isRecord(row) || row['type'] !== ComponentType.ActionRow) {
      form.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = row['components'];
    if (!Array.isArray(children) || children.length === 0) {
      form.add([...at, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
      return;
    }
    const buttons = children.filter((c) => isRecord(c) && c['type'] === ComponentType.Button).length;
    if (buttons !== children.length && children.length > 1) {
      form.add([...at, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    if (children.length > LIMITS.buttonsPerRow) form.maxLength([...at, 'components'], LIMITS.buttonsPerRow);
    children.forEach((child, j) => validateComponent(child, form, [...at, 'components', j], seen));
  });
}

function validateComponent(component: unknown, form: FormErrorCollector, at: Path, seen: Set<string>): void {
  if (!isRecord(component)) {
    form.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const customId = component['custom_id'];
  if (component['type'] === ComponentType.Button) {
    const style = component['style'];
    if (style === ButtonStyle.Link) {
      if (typeof component['url'] !== 'string') form.required([...at, 'url']);
      if (customId !== undefined) form.add([...at, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A link button cannot have a custom id');
    } else if (style !== ButtonStyle.Premium) {
      if (typeof customId !== 'string' || customId === '') form.required([...at, 'custom_id']);
    }
    checkString(form, [...at, 'label'], component['label'], LIMITS.buttonLabel);
    if (style !== ButtonStyle.Premium && (typeof component['label'] !== 'string' || component['label'] === '') && !isRecord(component['emoji'])) {
      form.add([...at, 'label'], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A button must have a label or an emoji');
    }
  } else if (component['type'] === ComponentType.StringSelect) {
    if (typeof customId !== 'string' || customId === '') form.required([...at, 'custom_id']);
    const options = component['options'];
    if (!Array.isArray(options) || options.length === 0) form.required([...at, 'options']);
    else if (options.length > LIMITS.selectOptions) form.maxLength([...at, 'options'], LIMITS.selectOptions);
    checkString(form, [...at, 'placeholder'], component['placeholder'], LIMITS.selectPlaceholder);
  } else if (
    component['type'] === ComponentType.UserSelect ||
    component['type'] === ComponentType.RoleSelect ||
    component['type'] === ComponentType.MentionableSelect ||
    component['type'] === ComponentType.ChannelSelect
  ) {
    if (typeof customId !== 'string' || customId === '') form.required([...at, 'custom_id']);
  } else {
    form.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).');
    return;
  }
  if (typeof customId === 'string') {
    if (textLength(customId) > LIMITS.customId) form.maxLength([...at, 'custom_id'], LIMITS.customId);
    if (seen.has(customId)) form.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    seen.add(customId);
  }
}

/** Components V2 trees: only custom-id length and uniqueness are checked. */
function validateCustomIds(components: unknown[], form: FormErrorCollector, path: Path, seen = new Set<string>()): void {
  components.forEach((component, i) => {
    if (!isRecord(component)) return;
    const at = [...path, i];
    const customId = component['custom_id'];
    if (typeof customId === 'string') {
      if (textLength(customId) > LIMITS.customId) form.maxLength([...at, 'custom_id'], LIMITS.customId);
      if (seen.has(customId)) form.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(customId);
    }
    const children = component['components'];
    if (Array.isArray(children)) validateCustomIds(children, form, [...at, 'components'], seen);
    const accessory = component['accessory'];
    if (isRecord(accessory)) validateCustomIds([accessory], form, [...at, 'accessory'], seen);
  });
}

/** True when a message would show nothing: Discord answers such a create/edit with 50006. */
export function isEmptyMessage(message: {
  readonly content?: unknown;
  readonly embeds?: unknown;
  readonly components?: unknown;
  readonly attachments?: unknown;
  readonly sticker_ids?: unknown;
  readonly poll?: unknown;
}): boolean {
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    !(typeof message.content === 'string' && message.content.length > 0) &&
    !nonEmptyArray(message.embeds) &&
    !nonEmptyArray(message.components) &&
    !nonEmptyArray(message.attachments) &&
    !nonEmptyArray(message.sticker_ids) &&
    !isRecord(message.poll)
  );
}

/** Autocomplete (type 8) callback data. */
export function validateAutocompleteData(data: unknown, form: FormErrorCollector): void {
  if (!isRecord(data) || !Array.isArray(data['choices'])) {
    form.required(['data', 'choices']);
    return;
  }
  const choices = data['choices'];
  if (choices.length > LIMITS.autocompleteChoices) form.maxLength(['data', 'choices'], LIMITS.autocompleteChoices);
  choices.forEach((choice, i) => {
    const at = ['data', 'choices', i];
    if (!isRecord(choice)) {
      form.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const name = choice['name'];
    if (typeof name !== 'string' || name.length === 0) form.add([...at, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    else if (textLength(name) > LIMITS.choiceName) form.add([...at, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    const value = choice['value'];
    if (typeof value === 'string') {
      if (textLength(value) > LIMITS.choiceValue) form.maxLength([...at, 'value'], LIMITS.choiceValue);
    } else if (typeof value !== 'number') {
      form.required([...at, 'value']);
    }
  });
}

/** Modal (type 9) callback data. */
export function validateModalData(data: unknown, form: FormErrorCollector): void {
  if (!isRecord(data)) {
    form.required(['data']);
    return;
  }
  checkString(form, ['data', 'title'], data['title'], LIMITS.modalTitle, true);
  checkString(form, ['data', 'custom_id'], data['custom_id'], LIMITS.customId, true);
  const components = data['components'];
  if (!Array.isArray(components) || components.length === 0 || components.length > 5) {
    form.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
}

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** A bulk-overwrite (PUT) or single-create (POST) command list. */
export function validateCommands(commands: readonly unknown[], form: FormErrorCollector, single = false): void {
  const names = new Set<string>();
  commands.forEach((command, i) => {
    const at: (string | number)[] = single ? [] : [i];
    if (!isRecord(command)) {
      form.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = command['type'] ?? 1;
    const name = command['name'];
    if (typeof name !== 'string' || name.length === 0) {
      form.required([...at, 'name']);
    } else if (type === 1) {
      if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
        form.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      }
    } else if (textLength(name) > LIMITS.commandName) {
      form.add([...at, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    }
    if (typeof name === 'string') {
      const key = `${String(type)}:${name}`;
      if (names.has(key)) form.add([...at, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      names.add(key);
    }
    if (type === 1) {
      const description = command['description'];
      if (typeof description !== 'string' || description.length === 0 || textLength(description) > LIMITS.commandDescription) {
        form.add([...at, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      const options = command['options'];
      if (Array.isArray(options)) validateCommandOptions(options, form, [...at, 'options']);
    } else if (typeof command['description'] === 'string' && command['description'] !== '') {
      form.add([...at, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description');
    }
    // integration_types: 0 guild install, 1 user install; contexts: 0 guild, 1 bot DM, 2 private channel.
    for (const [key, allowed] of [['integration_types', [0, 1]], ['contexts', [0, 1, 2]]] as const) {
      const values = command[key];
      if (values === undefined || values === null) continue;
      if (!Array.isArray(values) || values.length === 0 || values.some((v) => !(allowed as readonly unknown[]).includes(v))) {
        form.add([...at, key], 'BASE_TYPE_CHOICES', `Value must be a non-empty list of ${allowed.join(', ')}.`);
      }
    }
  });
}

function validateCommandOptions(options: unknown[], form: FormErrorCollector, path: Path): void {
  if (options.length > LIMITS.commandOptions) form.maxLength(path, LIMITS.commandOptions);
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, i) => {
    const at = [...path, i];
    if (!isRecord(option)) return;
    const name = option['name'];
    if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
      form.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    } else {
      if (names.has(name)) form.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(name);
    }
    const description = option['description'];
    if (typeof description !== 'string' || description.length === 0 || textLength(description) > LIMITS.commandDescription) {
      form.add([...at, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const isGroup = option['type'] === 1 || option['type'] === 2;
    if (!isGroup) {
      if (option['required'] === true && sawOptional) {
        form.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
      }
      if (option['required'] !== true) sawOptional = true;
    }
    const choices = option['choices'];
    if (Array.isArray(choices) && choices.length > LIMITS.commandChoices) form.maxLength([...at, 'choices'], LIMITS.commandChoices);
    if (Array.isArray(choices) && choices.length > 0 && option['autocomplete'] === true) {
      form.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', 'Autocomplete and choices cannot both be set');
    }
    const nested = option['options'];
    if (isGroup && Array.isArray(nested)) validateCommandOptions(nested, form, [...at, 'options']);
  });
}

/**
 * Whether editing `current` with `edit` (fields absent from the edit keep their value; uploaded
 * `files` replace the attachments) would leave an empty message, which Discord refuses (50006).
 */
export function wouldBeEmptyAfterEdit(
  edit: Record<string, unknown>,
  current: { readonly content?: unknown; readonly embeds?: unknown; readonly components?: unknown; readonly attachments?: unknown },
  files: readonly unknown[],
): boolean {
  const pick = (key: 'content' | 'embeds' | 'components' | 'attachments') => (key in edit ? edit[key] : current[key]);
  return isEmptyMessage({
    content: pick('content'),
    embeds: pick('embeds'),
    components: pick('components'),
    attachments: files.length > 0 ? files : pick('attachments'),
  });
}
