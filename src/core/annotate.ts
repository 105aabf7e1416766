import { gazetteer, type Gazetteer } from './lexicon/countries.js';
import { englishWords } from './lexicon/english-words.js';
import { STOP_WORDS } from './stopwords.js';
import type { Article } from './types.js';

/**
 * What each sentence of an article holds, found once when the article is indexed: numbers,
 * amounts, dates, names (of people, organisations and places), and quotations with their
 * speakers. Questions use these to pick the sentence that holds what they ask for ("how many" →
 * a sentence with a number; "what did X say" → a sentence where X speaks) and to state the short
 * answer ("$600 million", "Olaf Scholz").
 *
 * The rules are those of English news writing (titles before names, "X said" after quotes,
 * currency before amounts); they are deliberately simple and never guess where they cannot tell.
 */

export type SpanType = 'number' | 'amount' | 'date' | 'time' | 'person' | 'organisation' | 'place' | 'name';

export interface Span {
  readonly type: SpanType;
  /** Character offsets in the sentence. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For a person: the whole mention with titles and descriptions ("German Chancellor Olaf Scholz"). */
  readonly context?: string;
}

export interface ArticleFacts {
  /** By passage, then sentence. */
  readonly sentences: readonly (readonly SentenceFacts[])[];
  /** Every person named in full, with the words the article describes them by (name and titles). */
  readonly people: ReadonlyMap<string, string>;
}

export interface SentenceFacts {
  readonly spans: readonly Span[];
  /** Who speaks in the sentence (a quotation or reported speech), full name when known. */
  readonly speakers: readonly string[];
  /** The speaker as the sentence writes it ("Mr Lis", "Putin"), for short answers. */
  readonly speakerMentions: readonly string[];
  /** The sentence quotes someone. */
  readonly hasQuote: boolean;
}

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen';
const QUANTITY_WORDS = 'dozens|hundreds|thousands|millions|billions|tens of thousands|hundreds of thousands|a dozen|a hundred|a thousand|a million|a billion|half|a quarter|a third|twice|double|triple';
const COMPARATOR = String.raw`(?:(?:more|less|fewer)\s+than|over|under|about|around|roughly|nearly|almost|at\s+least|at\s+most|up\s+to|approximately|an\s+estimated|some|minus|plus|just\s+over|just\s+under)\s+`;
const DIGITS = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const MAGNITUDE = String.raw`(?:\s*(?:thousand|million|billion|trillion|bn|m)\b)`;
const CURRENCY_WORDS = 'dollars?|euros?|pounds?|zloty|yuan|yen|rupees?|roubles?|rubles?|francs?|kroner?|krona';
const UNITS =
  String.raw`percent|per\s+cent|%|percentage\s+points?|degrees?(?:\s+(?:Celsius|Fahrenheit|C|F))?|°[CF]|(?:kilo|mega|giga)?watt(?:-|\s)?hours?(?:\s+per\s+kilogram)?|(?:kilo|mega|giga)?watts?|kWh|MWh|GWh|MW|GW|kW|(?:kilo|centi|milli)?met(?:re|er)s?|square\s+met(?:re|er)s?|m²|km|miles?|feet|foot|inches|(?:kilo)?grams?|kg|tonnes?|tons?|litres?|liters?|nanomet(?:re|er)s?|hectares?|acres?|mm|years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries`;
const UNIT_AFTER = String.raw`(?:[\s-]*(?:${UNITS})\b|\s*%)`;

const AMOUNT = new RegExp(
  String.raw`(?:${COMPARATOR})?(?:[$€£¥]\s?${DIGITS}${MAGNITUDE}?(?:\s+per\s+[\w-]+)?|${DIGITS}${MAGNITUDE}?\s+(?:${CURRENCY_WORDS})\b(?:\s+per\s+[\w-]+)?)`,
  'gi',
);
const MEASURE = new RegExp(
  String.raw`(?<![\w-])(?:${COMPARATOR})?(?:(?:${DIGITS}|${NUMBER_WORDS})(?:\s+to\s+${DIGITS})?${UNIT_AFTER}(?:-old\b)?|(?:${QUANTITY_WORDS})\s+of\s+(?:${UNITS})\b)`,
  'gi',
);
/** "when" answered by a relation to an event rather than a date: "in the wake of the Russian collapse". */
const RELATIVE_TIME = /\b(?:in\s+the\s+(?:wake|aftermath|run-up)\s+of|at\s+the\s+(?:start|end|beginning)\s+of|by\s+the\s+end\s+of|shortly\s+(?:before|after)|(?:soon\s+)?after|following|since|before|during|until|ahead\s+of)\s+(?:the\s+|its\s+|their\s+)?(?!\d{1,3},\d)[\w'’:-]+(?:\s+(?!(?:and|but|I|we|he|she|they|it|you|have|has|had|was|were|is|are|will|would)\b)[\w'’.:-]+){0,4}/gi;
/** A time of day: "10:40 p.m.", "9am", "noon" aside. */
const CLOCK = /\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b/gi;
/** Words a span of time does not end on: "until after the provincial budget in (the spring)". */
const TRAILING_FUNCTION_WORDS = /(?:\s+(?:in|on|at|of|to|for|by|from|with|the|a|an|and|or|but|its|their|his|her))+$/i;
const PLAIN_NUMBER = new RegExp(
  String.raw`(?<![\w-])(?:${COMPARATOR})?(?:${QUANTITY_WORDS}|${DIGITS}(?:st|nd|rd|th)?${MAGNITUDE}?(?:[-–]\d+|(?<!\bfrom\s+[\d,.]+)\s+to\s+\d+(?![\d]|[,.]\d))?|(?:${NUMBER_WORDS})(?:[\s-](?:${NUMBER_WORDS}))*)(?![\w-])`,
  'gi',
);

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
const WEEKDAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const DATE = new RegExp(
  [
    String.raw`\b(?:the\s+)?(?:early|mid|late)[\s-](?:\d{1,2}(?:st|nd|rd|th)\s+century|\d{4}s?)`,
    String.raw`\bthe\s+(?:early|mid|late)?\s*\d{1,2}(?:st|nd|rd|th)\s+century`,
    String.raw`\b\d{1,2}\s+(?:${MONTHS})(?:,?\s+\d{4})?\b`,
    String.raw`\b(?:${MONTHS})\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b`,
    String.raw`\b(?:(?:early|mid|late|spring|summer|autumn|fall|winter)\s+)?(?:${MONTHS})(?:\s+\d{4})?\b`,
    String.raw`\b(?:(?:early|mid|late|spring|summer|autumn|fall|winter)\s+)?(?:19|20)\d{2}s?\b`,
    String.raw`\b(?:${WEEKDAYS})(?:\s+(?:night|morning|afternoon|evening))?\b`,
    String.raw`\b(?:yesterday|today|tonight|last\s+(?:week|month|year|night)|next\s+(?:week|month|year))\b`,
  ].join('|'),
  'g',
);

/** Words that make a capitalised name an organisation. */
const ORGANISATION_WORDS = new Set(
  'administration government committee senate house congress parliament council court ministry department office agency army navy force forces party union commission bank fund institute institution university college school centre center lab laboratory company corporation inc ltd group energy endowment organization organisation foundation association times post journal news network authority board alliance federation library service services police guard cooperation league club society trust inspectorate regulator watchdog tribunal ombudsman directorate bureau insurance holdings partners capital technologies systems solutions labs media airlines motors security'.split(' '),
);
/** Titles written before a name; the name is what follows the last of them. */
const TITLES = new Set(
  'president chancellor senator leader commander professor prof dr mr mrs ms minister mayor councillor councilor chief director general secretary governor king queen prime judge justice pope sir lord lady deputy ambassador spokesman spokeswoman spokesperson chair chairman chairwoman executive founder head manager officer editor fellow researcher admiral colonel captain lieutenant sergeant representative rep sen gov'.split(
    ' ',
  ),
);
/** Honorifics kept with a lone surname in a short answer ("Mr Lis"). */
const HONORIFICS = new Set(['Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'Professor']);
const CONNECTORS = new Set(['of', 'for', 'the', 'de', 'von', 'van', 'der', 'al', 'bin', 'du', 'la', 'le']);
/** The last word of a place's name: "Mill Street", "Hartley Road". */
const PLACE_WORDS = new Set('street road avenue lane square bridge river park station boulevard drive way highway valley lake mountain mountains hill hills coast island islands bay sea ocean province county district region'.split(' '));
/** Names of things (laws, plans, events), neither people nor places: "Taiwan Policy Act". */
const THING_WORDS = new Set('act bill policy law treaty accord agreement plan program programme strategy doctrine summit war initiative project prize award report index pact deal convention protocol'.split(' '));
/** A lower-case noun before a name that says it names an organisation: "oil company Rosneft". */
const ORGANISATION_BEFORE = /\b(?:company|firm|group|agency|newspaper|paper|bank|university|startup|start-up|manufacturer|maker|operator|utility|broadcaster|network|party|organisation|organization|charity|outlet|magazine|journal|giant|conglomerate|producer|supplier|distributor),?\s+$/i;
const SPEECH = String.raw`said|says|saying|states|added|adds|adding|told|tells|declared|commented|stated|wrote|writes|asked|explained|noted|noting|continued|warned|argued|insisted|claimed|demanded|demanding|urged|accepted|questioned|cautioned|estimates|estimated|attributed|announced|called\s+for|believes|thinks|predicted|pointed\s+out|pointing\s+out|called\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+(?=\s+["“])`;
const SPEECH_AFTER_NAME = new RegExp(String.raw`^[\s,]*(?:also\s+|then\s+|\w+ly\s+)?(?:${SPEECH})\b`, 'i');
/** "…," declared former US Army Europe Commander Ben Hodges: the verb, then up to six words of title. */
const SPEECH_BEFORE_NAME = new RegExp(String.raw`["”,]\s*(?:${SPEECH})\s+(?:[\w'’.-]+\s+){0,6}$`, 'i');
/** X said, "…" with the name first is handled after the name; this is "…, said X". */
const SPEECH_RIGHT_BEFORE = new RegExp(String.raw`(?:${SPEECH})\s*(?:,|:)?\s*$`, 'i');
/** "the statement by Hodges", "according to Ukrainian officials": words attributed to the name that follows. */
const ATTRIBUTED_TO = /\b(?:(?:statement|statements|declaration|remarks?|comments?|words|view|warning|testimony|interview)\s+(?:by|of|from)|according\s+to)\s+(?:the\s+)?$/i;
/** "X, senior fellow at Y, commented": a description between commas, then the verb. */
const APPOSITIVE_SPEECH = new RegExp(String.raw`^\s*,[^"“”]{1,200}?,\s*(?:also\s+)?(?:${SPEECH})\b`, 'i');
const PRONOUN_SPEECH = new RegExp(String.raw`(?:^|[\s"“”,])(he|she|they)\s+(?:also\s+|then\s+|\w+ly\s+)?(?:${SPEECH})\b`, 'i');
const OPENING_QUOTE = /["“]/;

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/**
 * Annotates every sentence of an article, passage by passage, carrying the last speaker and the
 * people named so far from sentence to sentence (for "he said" and for a paragraph that only
 * continues a quotation).
 */
export function annotateArticle(article: Article): ArticleFacts {
  const proper = properWords(article);
  const spansBySentence = article.passages.map((passage) => passage.sentences.map((sentence) => findSpans(sentence, proper)));
  // Everyone named in full anywhere: a later "McConnell" or "Putin's" is that person.
  const people = new Map<string, string>(); // name word → full name
  for (const spans of spansBySentence.flat()) {
    for (const span of spans) {
      const words = span.type === 'person' ? span.text.split(/\s+/).filter((w) => !HONORIFICS.has(w)) : [];
      if (words.length >= 2) for (const w of words) if (!people.has(w)) people.set(w, words.join(' '));
    }
  }
  const { names: countries } = gazetteer();
  const retyped = spansBySentence.map((sentences) =>
    sentences.map((spans) =>
      spans.map((span): Span => {
        const word = span.text.replace(/^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+/, '');
        const isCountry = countries.has(span.text.toLowerCase());
        return span.type !== 'person' && !isCountry && (span.type === 'name' || span.type === 'place') && people.has(word) ? { ...span, type: 'person' } : span;
      }),
    ),
  );
  const fullName = (name: string) => {
    const words = name.split(/\s+/).filter((w) => !HONORIFICS.has(w.replace(/\.$/, '')));
    return words.length === 1 ? (people.get(words[0]!) ?? words[0]!) : words.join(' ');
  };

  // Each person's descriptions, gathered from every mention: "former US Army Europe Commander".
  const descriptions = new Map<string, string>();
  for (const span of retyped.flat(2)) {
    if (span.type !== 'person') continue;
    const name = fullName(span.text);
    descriptions.set(name, `${descriptions.get(name) ?? name} ${span.context ?? ''}`.trim());
  }

  let lastPerson: string | undefined;
  let lastSpeaker: string | undefined;
  const sentences = article.passages.map((passage, p) =>
    passage.sentences.map((sentence, position) => {
      const spans = retyped[p]![position]!;
      const quote = findQuoteSpeaker(sentence, spans);
      let mention = quote ?? findReportedSpeaker(sentence, spans);
      let speaker: string | undefined;
      if (mention && /^(?:he|she|they)$/i.test(mention)) {
        speaker = lastPerson;
        mention = lastPerson;
      } else if (mention) speaker = fullName(mention);
      const hasQuote = OPENING_QUOTE.test(sentence);
      // A quotation with no attribution continues the last speaker's words (in the same passage, or
      // a paragraph that is only a quotation right after one).
      if (!speaker && hasQuote && (position > 0 || /^["“]/.test(sentence))) speaker = lastSpeaker;
      // "he"/"she" is most often the subject of the last sentence that named people: its first person.
      const persons = spans.filter((s) => s.type === 'person');
      if (persons.length > 0) lastPerson = fullName(persons[0]!.text);
      if (speaker) lastSpeaker = speaker;
      return {
        spans,
        speakers: speaker ? [speaker] : [],
        speakerMentions: mention && speaker ? [mention] : speaker ? [speaker] : [],
        hasQuote,
      };
    }),
  );
  return { sentences, people: descriptions };
}

/** Words the article writes capitalised in mid-sentence: its names, whatever their position elsewhere. */
function properWords(article: Article): Set<string> {
  const proper = new Set<string>();
  for (const passage of article.passages) {
    for (const sentence of passage.sentences) {
      for (const w of sentence.matchAll(WORD)) {
        if (w.index === 0 || !/^\p{Lu}/u.test(w[0]) || w[0].length < 2) continue;
        if (/(?:["“(]|[.!?…]["”]?)\s*$/.test(sentence.slice(0, w.index))) continue;
        proper.add(w[0]);
      }
    }
  }
  return proper;
}

export function findSpans(sentence: string, proper: ReadonlySet<string> = new Set()): Span[] {
  const spans: Span[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  const add = (type: SpanType, start: number, end: number) => {
    let text = sentence.slice(start, end);
    // Trailing punctuation is not the span's, but "p.m." keeps its full stop.
    let trimmed = /\b[ap]\.m\.$/i.test(text) ? text : text.replace(/[\s,.;:]+$/, '');
    if (type === 'time') trimmed = trimmed.replace(TRAILING_FUNCTION_WORDS, '');
    end -= text.length - trimmed.length;
    text = trimmed;
    if (text && !taken(start, end)) spans.push({ type, start, end, text });
  };
  for (const m of sentence.matchAll(AMOUNT)) add('amount', m.index, m.index + m[0].length);
  for (const m of sentence.matchAll(DATE)) add('date', m.index, m.index + m[0].length);
  for (const m of sentence.matchAll(MEASURE)) add('number', m.index, m.index + m[0].length);
  for (const m of sentence.matchAll(RELATIVE_TIME)) add('time', m.index, m.index + m[0].length);
  for (const m of sentence.matchAll(CLOCK)) add('time', m.index, m.index + m[0].length);
  for (const m of sentence.matchAll(PLAIN_NUMBER)) {
    // "one" alone is mostly a pronoun ("one of them"); a digit or a larger number word is a number.
    if (/^(?:one|a\s+\w+)$/i.test(m[0].trim()) && !/^a\s+(?:thousand|hundred|million|billion|dozen)$/i.test(m[0].trim())) continue;
    add('number', m.index, m.index + m[0].length);
  }
  for (const name of findNames(sentence, proper)) if (!taken(name.start, name.end)) spans.push(name);
  return spans.sort((a, b) => a.start - b.start);
}

/** Capitalised runs ("Senate Foreign relations Committee" aside) typed as person, organisation or place. */
function findNames(sentence: string, proper: ReadonlySet<string>): Span[] {
  const words: Word[] = [...sentence.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  const dictionary = englishWords();
  const places = gazetteer();
  const out: Span[] = [];
  const isCapital = (w: Word) => /^\p{Lu}/u.test(w.text);
  // A plural possessive inside a name keeps it whole: "the Estmark Couriers' Union".
  const adjacent = (a: Word, b: Word) => /^\s+$/.test(sentence.slice(a.end, b.start)) || (/s$/.test(a.text) && /^['’]\s+$/.test(sentence.slice(a.end, b.start)));
  let i = 0;
  while (i < words.length) {
    if (!isCapital(words[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < words.length) {
      const next = words[j + 1]!;
      if (isCapital(next) && adjacent(words[j]!, next)) j++;
      else if (CONNECTORS.has(next.text) && j + 2 < words.length && isCapital(words[j + 2]!) && adjacent(words[j]!, next) && adjacent(next, words[j + 2]!)) j += 2;
      else if (/^[a-z]+$/.test(next.text) && ORGANISATION_WORDS.has(next.text) && adjacent(words[j]!, next)) {
        // "the Biden administration", "the German government", "Senate Foreign relations Committee".
        j++;
        break;
      } else if (/^[a-z]+$/.test(next.text) && j + 2 < words.length && isCapital(words[j + 2]!) && ORGANISATION_WORDS.has(words[j + 2]!.text.toLowerCase()) && adjacent(words[j]!, next)) j += 2;
      else break;
    }
    let run = words.slice(i, j + 1);
    i = j + 1;
    // A capitalised first word of a sentence (or of a quotation) that is an ordinary word is not a name.
    const first = run[0]!;
    const atStart = first.start === 0 || /["“(]\s*$/.test(sentence.slice(0, first.start)) || /[.!?]\s+$/.test(sentence.slice(0, first.start));
    const ordinary = (w: string) => dictionary.has(w) || (/s$/.test(w) && dictionary.has(w.replace(/e?s$/, '')));
    if (atStart && !proper.has(first.text) && ordinary(first.text.toLowerCase()) && !startsName(run, places)) run = run.slice(1);
    while (run.length > 0 && CONNECTORS.has(run[0]!.text.toLowerCase())) run = run.slice(1);
    if (!run.some(isCapital)) continue;
    out.push(...typeName(sentence, run, places));
  }
  return out;
}

/**
 * A capitalised ordinary word opening a sentence starts a name when another capitalised word follows
 * that is not a demonym: "Carol Nguyen said", but not "Several Chinese makers" or "On Thursday".
 */
function startsName(run: readonly Word[], places: Gazetteer): boolean {
  if (run.length < 2) return false;
  const first = run[0]!.text.toLowerCase();
  const next = run[1]!.text.toLowerCase();
  return !STOP_WORDS.has(first) && !/(?:ly|ing|ed)$/.test(first) && !places.names.has(next) && !places.demonyms.has(next);
}

function typeName(sentence: string, run: Word[], { names: countries, capitals, demonyms }: Gazetteer): Span[] {
  // The whole mention, with a lower-case title before it ("Russian president Vladimir Putin").
  // A title written just before the name, with its own modifiers: "Russian president Vladimir
  // Putin", "The town's mayor, Ewa Brzezińska" (not the rest of the clause: "Putin's discussion
  // with Indian President Narendra Modi" describes Modi, not Putin).
  const preceding = /((?:[\p{L}'’-]+\s+){0,2}([\p{L}'’-]+)),?\s*$/u.exec(sentence.slice(Math.max(0, run[0]!.start - 40), run[0]!.start));
  const titleBefore = preceding && TITLES.has(preceding[2]!.toLowerCase()) ? `${preceding[1]} ` : '';
  const context = `${titleBefore}${sentence.slice(run[0]!.start, run.at(-1)!.end)}`;
  const span = (type: SpanType, words: Word[]): Span => {
    // "Moscow's" names Moscow.
    const end = words.at(-1)!.end - (/['’]s$/.test(words.at(-1)!.text) ? 2 : 0);
    const text = sentence.slice(words[0]!.start, end);
    // …and the description set off by commas after it: "Tomasz Lis, chief executive of Saltwell Energy,".
    const appositive = /^,\s*([^,;:"“”()]{3,120})(?:,|\.?$)/.exec(sentence.slice(end))?.[1] ?? '';
    return type === 'person' ? { type, start: words[0]!.start, end, text, context: `${context} ${appositive}`.trim() } : { type, start: words[0]!.start, end, text };
  };
  const lower = run.map((w) => w.text.toLowerCase().replace(/['’](?:s|m|re|ve|ll|d)$/, ''));
  const phrase = lower.join(' ');
  // A lone pronoun or ordinary word at the start of a quotation ("I", "They") is no name; "US" is.
  if (run.length === 1 && (run[0]!.text.length < 2 || STOP_WORDS.has(lower[0]!)) && !(run[0]!.text === run[0]!.text.toUpperCase() && countries.has(lower[0]!))) return [];
  if (THING_WORDS.has(lower.at(-1)!)) return [span('name', run)];
  if (PLACE_WORDS.has(lower.at(-1)!)) return [span('place', run)];
  if (lower.some((w) => ORGANISATION_WORDS.has(w))) {
    // "German Chancellor …" is a title, not an organisation; "US Army Europe Commander Ben Hodges" is a person.
    const titleAt = lastTitle(run);
    if (titleAt !== -1 && titleAt < run.length - 1) return [span('person', nameAfterTitle(run, titleAt))];
    return [span('organisation', run)];
  }
  const titleAt = lastTitle(run);
  if (titleAt !== -1 && titleAt < run.length - 1) return [span('person', nameAfterTitle(run, titleAt))];
  if (titleAt !== -1) return [];
  // A demonym alone ("Russian", "Chinese") describes; it is not a name.
  if (demonyms.has(phrase)) return [];
  if (countries.has(phrase) || capitals.has(phrase)) return [span('place', run)];
  // Leading demonyms and country names before a name describe it: "Russian oil company Rosneft" is Rosneft.
  let k = 0;
  while (k < run.length - 1 && countries.has(lower[k]!)) k++;
  const core = run.slice(k);
  const before = sentence.slice(0, core[0]!.start);
  const after = sentence.slice(core.at(-1)!.end);
  const lowerTitle = /\b(?:president|chancellor|senator|leader|commander|professor|minister|mayor|councillor|councilor|chief executive|director|head|secretary|governor|fellow|author|researcher|manager|librarian|officer|resident)\s+$/i;
  if (ORGANISATION_BEFORE.test(before)) return [span('organisation', core)];
  // A lone capitalised word of ordinary English ("Senators called for…") names no one.
  const ordinary = core.length === 1 && englishWords().has(core[0]!.text.toLowerCase().replace(/['’]s$/, ''));
  if (!ordinary && (lowerTitle.test(before) || SPEECH_AFTER_NAME.test(after))) return [span('person', core)];
  if (/\b(?:in|at|from|near|outside|to|across|around|into|of|beside)\s+(?:the\s+)?$/i.test(before) && core.length <= 3) return [span('place', core)];
  if (core.length >= 2 && core.length <= 3 && core.every((w) => /^\p{Lu}[\p{Ll}'’-]+$/u.test(w.text))) return [span('person', core)];
  return [span('name', core)];
}

function lastTitle(run: readonly Word[]): number {
  for (let k = run.length - 1; k >= 0; k--) if (TITLES.has(run[k]!.text.toLowerCase().replace(/\.$/, ''))) return k;
  return -1;
}

/** The name after the last title; an honorific stays with a lone surname ("Mr Lis"). */
function nameAfterTitle(run: Word[], titleAt: number): Word[] {
  const name = run.slice(titleAt + 1);
  if (name.length === 1 && HONORIFICS.has(run[titleAt]!.text.replace(/\.$/, ''))) return run.slice(titleAt);
  return name;
}

/** The speaker of a quotation in the sentence: "…," X said / X said, "…" / declared X. */
function findQuoteSpeaker(sentence: string, spans: readonly Span[]): string | undefined {
  if (!OPENING_QUOTE.test(sentence)) return undefined;
  const people = speakerCandidates(spans);
  // "…," Putin said / "…," said X / "…," declared former … Ben Hodges / X, senior fellow at Y, commented.
  for (const p of people) {
    const before = sentence.slice(Math.max(0, p.start - 60), p.start);
    const after = sentence.slice(p.end, p.end + 220);
    if (SPEECH_AFTER_NAME.test(after) || APPOSITIVE_SPEECH.test(after)) return p.text;
    if (SPEECH_BEFORE_NAME.test(before) || SPEECH_RIGHT_BEFORE.test(before)) return p.text;
  }
  const pronoun = PRONOUN_SPEECH.exec(sentence);
  return pronoun?.[1] ?? WRITTEN_ON.exec(sentence)?.[1];
}

/** Things that carry words: "signs reading "Save Riverside"", "a banner that read "…"". */
const WRITTEN_ON = /\b((?:signs?|banners?|placards?|posters?|notices?|leaflets?|letters?|messages?|t-shirts?|slogans?|graffiti))\s+(?:reading|saying|stating|that\s+(?:read|said)|which\s+(?:read|said))\s*[:,]?\s*["“]/i;

/** People first, then other names, then organisations: who speaks is usually a person. */
function speakerCandidates(spans: readonly Span[]): Span[] {
  const rank = (s: Span) => (s.type === 'person' ? 0 : s.type === 'name' ? 1 : s.type === 'organisation' ? 2 : 3);
  return spans.filter((s) => rank(s) < 3).sort((a, b) => rank(a) - rank(b) || a.start - b.start);
}

/** "X demanded that…", "he added that…": reported speech without quotation marks. */
function findReportedSpeaker(sentence: string, spans: readonly Span[]): string | undefined {
  // "according to Ukrainian officials": whoever the sentence attributes its claim to, named or not.
  const according = /\baccording\s+to\s+(?:the\s+)?((?:[\p{L}'’-]+\s+){0,3}[\p{L}'’-]+)/iu.exec(sentence);
  if (according && !spans.some((s) => s.start >= according.index && s.start < according.index + according[0].length && (s.type === 'person' || s.type === 'organisation'))) {
    return according[1];
  }
  for (const p of speakerCandidates(spans)) {
    const before = sentence.slice(Math.max(0, p.start - 60), p.start);
    const after = sentence.slice(p.end, p.end + 220);
    if (SPEECH_AFTER_NAME.test(after) || APPOSITIVE_SPEECH.test(after) || /,\s*(?:said|says|added|told)\s+$/i.test(before) || ATTRIBUTED_TO.test(before)) return p.text;
  }
  const pronoun = PRONOUN_SPEECH.exec(sentence);
  return pronoun?.[1];
}
