import { ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { expect } from 'vitest';
import type { BotHarness } from '../support/bot-harness.js';
import type { BotMessage } from '../support/fake-discord/index.js';

/** Small readers of what a user sees in a bot message, shared by the end-to-end tests. */

/** The buttons under a message, as a user sees them: their label (or emoji) and what they do. */
export function buttons(message: BotMessage): { label: string; customId: string }[] {
  return (message.components ?? [])
    .flatMap((row) => (row.type === ComponentType.ActionRow ? row.components : []))
    .flatMap((c) => (c.type === ComponentType.Button && 'custom_id' in c ? [{ label: c.label ?? c.emoji?.name ?? '', customId: c.custom_id }] : []));
}

/** The custom id of the button labelled `label`. @throws Error listing the buttons there are. */
export function button(message: BotMessage, label: string): string {
  const all = buttons(message);
  const found = all.find((b) => b.label === label);
  if (!found) throw new Error(`No "${label}" button (has: ${all.map((b) => b.label).join(', ') || 'none'})`);
  return found.customId;
}

/** The message's single embed (asserting there is exactly one). */
export function onlyEmbed(message: BotMessage): APIEmbed {
  expect(message.embeds).toHaveLength(1);
  return message.embeds[0] as APIEmbed;
}

/** Requests Discord refused (e.g. 400 with code 50035 Invalid Form Body): a user would see nothing for those. */
export function refusedRequests(harness: BotHarness): string[] {
  return harness.fake.requests.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.response)}`);
}

/** Characters as Discord counts them (code points). */
export function length(text: string | undefined): number {
  return [...(text ?? '')].length;
}
