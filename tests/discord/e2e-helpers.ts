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

/**
 * A question that would ping everyone, a role and a user if the bot echoed it carelessly, and
 * the raw mention texts that must never appear in what the bot sends.
 */
export function pingBait(harness: BotHarness, question: string): { question: string; raw: string[] } {
  const bob = harness.fake.createUser('bob');
  const role = harness.fake.guild.roles.find((r) => r.id !== harness.fake.guild.id);
  if (!role) throw new Error('the fake guild has no role besides @everyone');
  const raw = ['@everyone', '@here', `<@&${role.id}>`, `<@${bob.id}>`];
  return { question: `${raw.join(' ')} ${question}`, raw };
}

/** Asserts that `reply` notifies no one and shows none of `raw` as a live mention. */
export function expectNoPings(reply: BotMessage, raw: readonly string[]): void {
  expect({ mentions: reply.mentions, mention_roles: reply.mention_roles, mention_everyone: reply.mention_everyone }).toEqual({
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
  });
  const shown = JSON.stringify({ content: reply.content, embeds: reply.embeds });
  for (const text of raw) expect(shown).not.toContain(text);
}
