import { gazetteer } from './lexicon/countries.js';
import { isPastForm } from './lexicon/irregular-verbs.js';
import { wordFrequency } from './lexicon/word-frequency.js';
import { STOP_WORDS } from './stopwords.js';
import { termOf } from './terms.js';
import { escapeRegExp } from './text.js';
import type { AnswerResult } from './types.js';

/**
 * Conversations: one person in one place (a DM, a thread, a reply chain, a terminal session).
 * Within a few minutes of an answer, a message that leans on it — "What did he say?", "and
 * China?", "how many?" — is answered in its light: its pronoun stands for the person just asked
 * about, its ellipsis takes the shape of the last question. A message that stands on its own is
 * answered on its own.
 */

/** How long a conversation remembers its last answer (the "within 10 minutes"). */
export const CONVERSATION_TTL_MS = 10 * 60 * 1000;
/** Conversations remembered at once; the least recently used are forgotten first. */
export const MAX_CONVERSATIONS = 10_000;

export interface Turn {
  /** The message as sent. */
  readonly question: string;
  /** What was answered: the message, or its reading in the light of the turn before. */
  readonly resolved: string;
  readonly result: AnswerResult;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Bounded memory of each conversation's last turn; nothing survives a restart. */
export interface ConversationMemory {
  /** The last turn of `key`, if it is recent enough to lean on. */
  previous(key: string, now?: number): Turn | undefined;
  record(key: string, turn: Turn): void;
  readonly size: number;
}

export function createConversationMemory({ ttlMs = CONVERSATION_TTL_MS, capacity = MAX_CONVERSATIONS, now = Date.now } = {}): ConversationMemory {
  const turns = new Map<string, Turn>();
  return {
    previous(key, at = now()) {
      const turn = turns.get(key);
      if (!turn) return undefined;
      if (at - turn.at > ttlMs) {
        turns.delete(key);
        return undefined;
      }
      return turn;
    },
    record(key, turn) {
      turns.delete(key);
      turns.set(key, turn);
      while (turns.size > capacity) turns.delete(turns.keys().next().value!);
    },
    get size() {
      return turns.size;
    },
  };
}

/** What the article knows, for deciding what a follow-up refers to. */
export interface FollowUpContext {
  /** The people the article names in full ("Ben Hodges"), for "he"/"she". */
  readonly people: readonly string[];
  /**
   * True when the article (in a library, any article) uses this word: a question naming such a
   * topic of its own does not lean on the last one.
   */
  readonly knows: (word: string) => boolean;
}

export interface FollowUp {
  /** The message read in the light of the previous turn, as a question the answerer can take. */
  readonly text: string;
  /** What it was understood to be about, when saying so helps ("About Ben Hodges"). */
  readonly understood: string | undefined;
  /**
   * True when it asks about the last answer itself ("who said that?", "when was this?"): its
   * answer is most likely in the sentences just quoted, which another follow-up would not repeat.
   */
  readonly aboutLastAnswer?: true;
  /**
   * True when it asks what came of the last answer ("did it pass?", "what happened next?"): the
   * article tells that right after the sentences just quoted.
   */
  readonly asksOutcome?: true;
}

const PERSON_PRONOUN = /\b(he|she|him|his|her|hers|himself|herself)\b/i;
const THING_PRONOUN = /\b(?:it|its|they|them|their|theirs|that|this|those|these|there|then|same)\b/i;
/** "and China?", "what about drones?", "what else": the last question's shape, with new words. */
const CONTINUATION = /^\s*(?:and|but|so|also|plus|or)\b|^\s*(?:what|how)\s+about\b|^\s*(?:what|anything)\s+else\b/i;
/** "why?", "how many?", "in how long": a new question word for the last question's topic. */
const BARE_QUESTION = /^\s*(?:in|for|since|until)\s+(?:how|what)\b|^\s*why\s*\??\s*$|^\s*(?:how\s+(?:many|much|long|far|come)|when|where|who|which)\s*\??\s*$/i;
/** Prepositions that open a circumstance of time, place or condition ("in the cold", "after the vote"). */
const CIRCUMSTANCE_PREPOSITIONS = 'in|on|at|after|before|during|since|until|under|without|with|near|inside|outside';
/** A continuation that is only a circumstance: "and in the cold?", "what about after the vote?". */
const NEW_CIRCUMSTANCE = new RegExp(String.raw`^\s*(?:and|but|so|also|or|(?:what|how)\s+about)\s+((?:${CIRCUMSTANCE_PREPOSITIONS})\s+[^?.!]+?)\s*[?.!]*\s*$`, 'i');
/** A circumstance in the last question: one of those prepositions and its words, up to the next preposition or comma. */
const CIRCUMSTANCE = new RegExp(String.raw`(\s)(?:${CIRCUMSTANCE_PREPOSITIONS})(?:\s+(?!(?:${CIRCUMSTANCE_PREPOSITIONS}|about|of|for|to|from|by|than)\b)[^\s,;?.!]+)+`, 'gi');
/** "how many were saved?": a count with no noun, the last question's noun understood. */
const BARE_COUNT = /\bhow\s+many\s+(?=(?:were|was|are|is|did|do|does|have|has|had|will|would|can|could|survived|remain|remained|left)\b)/i;
/** The noun a question counts: "how many books were destroyed" → "books". */
const COUNTED_PHRASE = /\bhow\s+many\s+((?:[\p{L}\d'’-]+\s+){0,3}?[\p{L}\d'’-]+)\s+(?:were|was|are|is|did|do|does|have|has|had|will|would|can|could)\b/iu;
/**
 * "who said that?", "when was this", "who's paying for most of it?", "what for?", a bare "why?": a
 * question about the last answer itself. Up to four words between the question word and the
 * pronoun: battery follow-ups +1 against two, nothing lost.
 */
const ABOUT_LAST_ANSWER = /^\s*(?:and\s+|so\s+)?(?:(?:who|when|where|why|how)(?:\s+|'s\s+)(?:[\w'’]+\s+){0,4}(?:that|this|it)(?:\s+(?:happen|happened|say|said|come\s+from))?|why|what\s+for|how\s+come)\s*[?.!]*\s*$/i;
/**
 * "did it pass?", "what happened to it?", "then what?": what came of what the last answer told. From
 * the evaluation: library follow-ups +2 (and +1 on the fresh library set), nothing lost.
 */
const OUTCOME = /^\s*(?:and\s+|so\s+)?(?:(?:did|does|has|have|was)\s+(?:it|that|this|they|he|she)\s+(?:pass|passed|work|worked|succeed|go\s+through|get\s+(?:through|approved|passed)|happen)|what\s+happened\s+(?:next|then|after(?:wards)?|after\s+that|to\s+(?:it|that|this|them))|what\s+came\s+of\s+(?:it|that|this)|how\s+did\s+(?:it|that|this)\s+(?:go|end|turn\s+out)|what\s+was\s+the\s+(?:outcome|result)|(?:and\s+)?then\s+what)\s*[?.!]*\s*$/i;
/**
 * "was that too late?", "is that a lot?": a yes/no question about the last answer itself (after
 * `OUTCOME`: "did it pass?" asks what came next). Fine set follow-ups +1, nothing else moved.
 */
const YES_NO_ABOUT_IT = /^\s*(?:and\s+|so\s+|but\s+)?(?:was|is|were|are|did|does|do|has|have|had|will|would|could)(?:n['’]?t)?\s+(?:that|this|it|they)\b(?:\s+[\w'’-]+){0,4}\s*[?.!]*\s*$/i;
/** "btw unrelated", "different question": the speaker says this one stands on its own. */
const TOPIC_CHANGE = /\b(?:unrelated|different\s+(?:question|topic)|another\s+question|new\s+question|change\s+(?:of\s+)?(?:topic|subject)|by\s+the\s+way|btw)\b/i;
/** General idf from which a word names a topic of its own (see TOPICAL_IDF in answer.ts). */
const TOPIC_IDF = 9;
const QUESTION_WORDS = /^(?:what|which|who|whom|whose|when|where|why|how)$/i;
const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/**
 * Reads `question` in the light of `previous`, or returns undefined when it stands on its own:
 * it names a topic of its own (a specific word the article uses) and leans on nothing before it.
 */
export function resolveFollowUp(question: string, previous: Turn, context: FollowUpContext): FollowUp | undefined {
  if (TOPIC_CHANGE.test(question)) return undefined;
  const personPronoun = PERSON_PRONOUN.exec(question);
  const leans = personPronoun !== null || THING_PRONOUN.test(question) || CONTINUATION.test(question) || BARE_QUESTION.test(question) || !hasTopic(question, context);
  if (!leans) return undefined;

  const person = personPronoun ? antecedent(previous, context) : undefined;
  let text = question;
  if (person) {
    text = text.replace(/\b(?:his|hers)\b/gi, `${person}'s`).replace(/\b(?:he|she|him|herself|himself)\b/gi, person).replace(/\bher\b/gi, person);
  }

  const isEllipsis = CONTINUATION.test(question) && !hasQuestionVerb(question);
  // "and in the cold?" after "how much capacity did it keep after 8,000 cycles": the new
  // circumstance takes the place of the last one.
  const circumstance = isEllipsis ? NEW_CIRCUMSTANCE.exec(question)?.[1] : undefined;
  const base = withoutCarried(previous.resolved);
  // The last one of its kind: a time for a time ("and in may?"), else the last.
  const isTime = (phrase: string) => [...phrase.toLowerCase().matchAll(WORD)].some((m) => DATE_WORDS.test(m[0]));
  const phrases = circumstance ? [...base.matchAll(CIRCUMSTANCE)] : [];
  const last = phrases.filter((m) => isTime(m[0]) === isTime(circumstance!)).at(-1) ?? phrases.at(-1);
  if (circumstance && last) {
    return { text: `${base.slice(0, last.index)}${last[1]}${circumstance}${base.slice(last.index + last[0].length)}`, understood: `Following on from "${previous.question}"` };
  }
  if (isEllipsis) {
    // "and China?", "what about drones?": the last question again, a name or number in it replaced
    // by the new one of its kind, new ordinary words added.
    const fresh = contentWords(question);
    return { text: substitute(previous.resolved, fresh, context), understood: `Following on from "${previous.question}"` };
  }
  // "and how many were saved?" after "how many books were destroyed…": books are counted again.
  const counted = BARE_COUNT.test(text) ? COUNTED_PHRASE.exec(previous.resolved)?.[1] : undefined;
  if (counted) text = text.replace(BARE_COUNT, (m) => `${m.trimEnd()} ${counted} `);
  // A pronoun or a bare "why?": the last question's words come along, after the new question.
  // A new verb takes the old one's place ("saved" for "destroyed").
  const ownVerb = contentWords(text).some(isPastForm);
  const carried = contentWords(previous.resolved).filter((w) => !contentWords(text).includes(w) && !(ownVerb && isPastForm(w)));
  const understood = person ? `About ${person}` : `Following on from "${previous.question}"`;
  const about = OUTCOME.test(question) ? { asksOutcome: true as const } : ABOUT_LAST_ANSWER.test(question) || YES_NO_ABOUT_IT.test(question) ? { aboutLastAnswer: true as const } : {};
  return { text: carried.length > 0 ? `${text.trim()} — ${carried.join(' ')}` : text, understood, ...about };
}

function hasTopic(question: string, context: FollowUpContext): boolean {
  const general = wordFrequency();
  // A country or capital names a topic even where no article mentions it ("what is the capital of
  // France?" after a question about refineries is not about the refineries).
  return contentWords(question).some((w) => (context.knows(w) && (general.generalIdf(w) >= TOPIC_IDF || /^\d/.test(w))) || kindOf(w, context) === 'country');
}

/** A resolved question without the words carried along from the turn before it (" — …"). */
function withoutCarried(resolved: string): string {
  return resolved.replace(/\s+—\s+.*$/, '');
}

/** A question with its own verb ("and what did putin say back") is not a bare ellipsis. */
function hasQuestionVerb(question: string): boolean {
  // Its verb may be negated, as typed with or without the apostrophe ("why didn't they", "why didnt they").
  return /\b(?:what|which|who|when|where|why|how)\b.*\b(?:(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should|say|said)(?:n['’]?t)?|won['’]?t|can['’]?t)\b/i.test(question);
}

/** The words of a text that carry content: not function words, not question words. */
function contentWords(text: string): string[] {
  return [...text.toLowerCase().matchAll(WORD)].map((m) => m[0].replace(/['’]s$/, '')).filter((w) => !STOP_WORDS.has(w) && !QUESTION_WORDS.test(w) && w !== '—');
}

/** The person "he"/"she" stands for: the person the last answer named, else the one the last question named. */
function antecedent(previous: Turn, context: FollowUpContext): string | undefined {
  const named = (text: string) => context.people.find((p) => p.split(/\s+/).some((part) => part.length > 2 && new RegExp(`\\b${escapeRegExp(part)}\\b`, 'i').test(text)));
  const short = previous.result.short;
  if (short && context.people.includes(short)) return short;
  return named(previous.resolved) ?? (short ? named(short) : undefined) ?? named(previous.result.answer);
}

type WordKind = 'country' | 'number' | 'date' | 'name' | 'word';

const DATE_WORDS = /^(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|spring|summer|autumn|fall|winter|(?:19|20)\d\d)$/;

function kindOf(word: string, context: FollowUpContext): WordKind {
  if (DATE_WORDS.test(word)) return 'date';
  if (/^\d/.test(word)) return 'number';
  if (termOf(word)?.kind === 'country' || gazetteer().capitals.has(word)) return 'country';
  if (context.people.some((p) => p.toLowerCase().split(/\s+/).includes(word))) return 'name';
  return 'word';
}

/**
 * The previous question with the new words in place: a name, place, number or date takes the place
 * of the last word of its kind there ("and rubio?" after "what did mcconnell say…"; "and 155mm?"
 * after "how many 105mm rounds…"); other words are added.
 */
function substitute(previous: string, fresh: readonly string[], context: FollowUpContext): string {
  const base = withoutCarried(previous);
  const matches = [...base.matchAll(WORD)];
  const words = matches.map((m, i) => {
    // "the us" in a typed question is the United States, not the pronoun.
    const lower = m[0].toLowerCase();
    const kind = lower === 'us' && matches[i - 1]?.[0].toLowerCase() === 'the' ? 'country' : kindOf(lower, context);
    return { word: m[0], start: m.index, end: m.index + m[0].length, kind };
  });
  const replacements = new Map<number, string>(); // start of a previous word → its replacement
  const ordinary: string[] = [];
  const leftover: string[] = [];
  for (const word of fresh) {
    const kind = kindOf(word, context);
    if (kind === 'word') {
      ordinary.push(word);
      continue;
    }
    const target = [...words].reverse().find((w) => w.kind === kind && !replacements.has(w.start));
    if (target) replacements.set(target.start, word);
    else leftover.push(word);
  }
  // Which ordinary word a new one replaces cannot be told from words alone ("and the lab?" after
  // "how long would a grid battery take…"): the new words are added, and the answer that follows
  // prefers a sentence other than the last one quoted.
  leftover.push(...ordinary);
  let text = '';
  let at = 0;
  for (const w of words) {
    const replacement = replacements.get(w.start);
    if (replacement === undefined) continue;
    text += base.slice(at, w.start) + replacement;
    at = w.end;
  }
  text += base.slice(at);
  return leftover.length > 0 ? `${text} ${leftover.join(' ')}` : text;
}
