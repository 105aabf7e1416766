import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_INTERACTION_DEADLINE_MS } from '../../src/limits.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { HeldService } from './held-service.js';

/**
 * Discord voids an interaction not acknowledged within 3 s ("The application did not respond").
 * A quick answer is sent directly; a slow one is deferred ("thinking…") and then edited in.
 * Slowness is an event here: the answer service holds each question until the test releases it.
 */

const REFINERIES = 'Who took control of three refineries?';
const REFINERIES_QUOTE = 'On Friday, the German government took control of three refineries owned by Russian oil company Rosneft.';

let fast: BotHarness;
let slow: BotHarness;
let held: HeldService;
beforeAll(async () => {
  fast = await startBotHarness();
  held = new HeldService(fast.service);
  // The bot's own default deferral (half the deadline), against the fake's real 3 s deadline.
  slow = await startBotHarness({ service: held });
});
afterAll(async () => {
  await slow?.stop();
  await fast?.stop();
});

describe('interaction deadline', () => {
  it('answers a quick question directly (one CHANNEL_MESSAGE_WITH_SOURCE, no "thinking…")', async () => {
    const alice = fast.fake.createUser('alice');
    const ask = fast.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } });
    const reply = await ask.reply();

    expect(ask.state.callback?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(ask.state.edits).toEqual([]);
    expect(ask.state.expired).toBe(false);
    expect(reply.embeds[0]?.description).toContain(REFINERIES_QUOTE);
  });

  it('defers a slow answer in time, then shows it in place of "thinking…"', async () => {
    const alice = slow.fake.createUser('alice');
    const ask = slow.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } });
    const question = await held.nextQuestion();
    expect(question.question).toBe(REFINERIES);

    // The answer is still being worked out: the bot acknowledges anyway, before the deadline.
    const ack = await ask.acknowledged();
    expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(ack.latencyMs).toBeLessThan(DISCORD_INTERACTION_DEADLINE_MS);
    expect(ask.state.ephemeral).toBe(false);
    const thinking = slow.fake.messages.find((m) => m.interaction_id === ask.id);
    expect(thinking?.flags ?? 0).toBeGreaterThan(0);
    expect(thinking?.embeds).toEqual([]);

    question.release();
    const reply = await ask.reply();
    expect(reply.id).toBe(thinking?.id);
    expect(reply.embeds[0]?.description).toContain(REFINERIES_QUOTE);
    expect(reply.ephemeral).toBe(false);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(ask.state.expired).toBe(false);
    expect(ask.state.rejectedCallbacks).toEqual([]);
    expect(ask.state.edits).toHaveLength(1);
  });

  it('keeps a slow private answer private: the deferral and the answer are both ephemeral', async () => {
    const alice = slow.fake.createUser('alice');
    const ask = slow.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES, private: true } });
    const question = await held.nextQuestion();
    const ack = await ask.acknowledged();
    expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(ask.state.ephemeral).toBe(true);

    question.release();
    const reply = await ask.reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.embeds[0]?.description).toContain(REFINERIES_QUOTE);
    expect(ask.state.expired).toBe(false);
  });

  it('removes a public "thinking…" and tells only the asker when a deferred answer fails', async () => {
    const alice = slow.fake.createUser('alice');
    const ask = slow.fake.slashCommand({ user: alice, name: 'ask', options: { question: REFINERIES } });
    const question = await held.nextQuestion();
    await ask.acknowledged();

    question.fail(new Error('the index went away'));
    const failure = await ask.followup(0);
    expect(failure.content).toBe('Something went wrong while answering — please try again.');
    expect(failure.ephemeral).toBe(true);
    expect(ask.state.original?.deleted).toBe(true);
    expect(ask.state.expired).toBe(false);
  });
});

describe('typing', () => {
  it('shows "is typing…" while a mention question is being answered', async () => {
    const alice = slow.fake.createUser('alice');
    const general = slow.fake.channels.general.id;
    const asked = slow.fake.sendMessage({ author: alice, content: REFINERIES, mentionBot: true });
    const question = await held.nextQuestion();

    // Before any answer exists, the channel already shows the bot typing.
    await slow.fake.waitForTyping(general);
    expect(slow.fake.messages.filter((m) => m.message_reference?.message_id === asked.id)).toEqual([]);

    question.release();
    const reply = await slow.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
    expect(reply.embeds[0]?.description).toContain(REFINERIES_QUOTE);
  });

  it('shows "is typing…" in a direct message too', async () => {
    const alice = slow.fake.createUser('alice');
    const dm = slow.fake.dmChannel(alice).id;
    const asked = slow.fake.sendMessage({ author: alice, content: REFINERIES, dm: true });
    const question = await held.nextQuestion();

    await slow.fake.waitForTyping(dm);
    question.release();
    const reply = await slow.fake.waitForMessage((m) => m.message_reference?.message_id === asked.id);
    expect(reply.channel_id).toBe(dm);
  });
});
