/**
 * Splitting long text into parts that fit Discord's limits without cutting anything: a paragraph
 * of 13,000 characters is shown whole, across embed fields, embeds and follow-up messages.
 *
 * Parts end where a reader would pause: at a sentence end or a line break. A sentence is broken
 * only when it alone is longer than the largest place it could go — then at a word boundary, and a
 * word longer than that between two characters (never inside an emoji, a surrogate pair or a
 * markdown escape such as `\*`). The white space at a cut is dropped (Discord trims it anyway);
 * nothing else is lost or changed.
 *
 * Lengths are UTF-16 code units (`string.length`). Discord counts code points, which are never
 * more, so a part that fits here fits there.
 */

// Intl.Segmenter implements Unicode's sentence and grapheme rules (UAX #29) in the runtime itself.
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * A piece of text ending in an abbreviation that UAX #29 takes for a sentence end before a capital
 * ("Mr. Smith", "U.S. President"). Joining the next piece to it only removes a cut point.
 */
const ABBREVIATION_AT_END = /(?:^|[\s(“"'‘])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Gov|Sen|Rep|Pres|Rev|Hon|St|Mt|No|Jr|Sr|Inc|Ltd|Co|Corp|(?:\p{Lu}\.)+\p{Lu})\.$/u;

/** The units text is cut into, from the largest (preferred) to the smallest (last resort). */
type Level = 'sentence' | 'word' | 'grapheme' | 'code point';

interface Piece {
  /** The white space before the piece: kept when the piece follows another in the same part. */
  readonly gap: string;
  readonly text: string;
  readonly level: Level;
}

/**
 * Text being laid out, taken from the front in parts as rooms come up. Each `take` returns the
 * longest run of whole sentences (or lines) from where the last one stopped that fits the room.
 */
export class TextFlow {
  readonly #pieces: Piece[];
  #next = 0;

  constructor(text: string) {
    this.#pieces = sentencePieces(text);
  }

  /** True once every piece of the text has been taken. */
  get done(): boolean {
    return this.#next >= this.#pieces.length;
  }

  /**
   * The next whole sentences that fit in `room` characters; '' when the next sentence does not fit.
   * With `mayBreak`, the caller says no room will ever be larger than this one: a sentence too long
   * for it is then broken at words (a word at characters) instead of returning ''.
   * @throws RangeError when `mayBreak` and `room` cannot hold a single character (room < 2 and the
   *   text continues with a surrogate pair, or room < 1).
   */
  take(room: number, mayBreak: boolean): string {
    let out = '';
    while (this.#next < this.#pieces.length) {
      const piece = this.#pieces[this.#next]!;
      const addition = out === '' ? piece.text : piece.gap + piece.text;
      if (out.length + addition.length <= room) {
        out += addition;
        this.#next++;
        continue;
      }
      // Something already fits: stop at the boundary rather than break the next sentence to fill up.
      if (out !== '' || !mayBreak) break;
      const smaller = breakPiece(piece);
      if (!smaller) throw new RangeError(`A room of ${room} cannot hold ${JSON.stringify(piece.text)}.`);
      this.#pieces.splice(this.#next, 1, ...smaller);
    }
    return out;
  }
}

/**
 * `text` in parts of at most `max` characters, in order, cut at sentence ends (see the module
 * comment for when a sentence or word is broken). Leading and trailing white space and the white
 * space at each cut are dropped; rejoining the parts with that white space gives the text back.
 * Empty or blank text gives no parts.
 * @throws RangeError when `max` is below 2 (a surrogate pair would not fit).
 */
export function splitText(text: string, max: number): string[] {
  if (!(max >= 2)) throw new RangeError(`Cannot split text into parts of ${max} characters.`);
  const flow = new TextFlow(text);
  const parts: string[] = [];
  while (!flow.done) parts.push(flow.take(max, true));
  return parts;
}

/** Sentences (and lines: a line break always ends one), with the white space between them. */
function sentencePieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let gap = '';
  for (const { segment } of sentences.segment(text)) {
    const [, lead = '', body = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(segment) ?? [];
    gap += lead;
    if (body === '') {
      gap += trail;
      continue;
    }
    const previous = pieces.at(-1);
    if (previous && !gap.includes('\n') && ABBREVIATION_AT_END.test(previous.text)) {
      pieces[pieces.length - 1] = { ...previous, text: previous.text + gap + body };
    } else {
      pieces.push({ gap: pieces.length === 0 ? '' : gap, text: body, level: 'sentence' });
    }
    gap = trail;
  }
  return pieces;
}

/** The piece in smaller units of the next level; undefined when it is a single code point. */
function breakPiece(piece: Piece): Piece[] | undefined {
  let level: Level | undefined = piece.level;
  let parts: Piece[] = [piece];
  // A level may not make the piece any smaller (a "sentence" without spaces is one word): go on.
  while (parts.length === 1) {
    level = nextLevel(level);
    if (!level) return undefined;
    parts = splitPiece(piece, level);
  }
  return parts;
}

function nextLevel(level: Level): Level | undefined {
  switch (level) {
    case 'sentence':
      return 'word';
    case 'word':
      return 'grapheme';
    case 'grapheme':
      return 'code point';
    case 'code point':
      return undefined;
  }
}

function splitPiece(piece: Piece, level: Level): Piece[] {
  if (level === 'word') {
    const tokens = piece.text.split(/(\s+)/);
    const pieces: Piece[] = [];
    for (let i = 0; i < tokens.length; i += 2) {
      pieces.push({ gap: i === 0 ? piece.gap : tokens[i - 1]!, text: tokens[i]!, level });
    }
    return pieces;
  }
  const units = level === 'grapheme' ? keepEscapesWhole([...graphemes.segment(piece.text)].map((s) => s.segment)) : [...piece.text];
  return units.map((text, i) => ({ gap: i === 0 ? piece.gap : '', text, level }));
}

/** A backslash escapes the character after it (`\*`); a cut between them would show a stray `\` and a live `*`. */
function keepEscapesWhole(units: string[]): string[] {
  const out: string[] = [];
  for (const unit of units) {
    const last = out.at(-1);
    if (last !== undefined && /(?:^|[^\\])(?:\\\\)*\\$/.test(last)) out[out.length - 1] = last + unit;
    else out.push(unit);
  }
  return out;
}
