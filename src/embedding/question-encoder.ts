import { Tensor, type PreTrainedTokenizer } from '@huggingface/transformers';

/**
 * Tokenizes one question for the model, as fast as the answer path needs: a question costs one
 * forward pass, and everything else it costs should be next to nothing. Two shortcuts, each used
 * only when it gives exactly what the tokenizer gives:
 *
 * - the query prefix is tokenized once, not with every question: special tokens, then the
 *   prefix's ids, then the question's. That equals tokenizing `prefix + question` when the
 *   tokenizer never merges across the prefix's end (WordPiece tokenizers such as BERT's split at
 *   white space and punctuation);
 * - for BERT's uncased WordPiece tokenizer (the default model's), a question in plain ASCII is
 *   split and looked up here in one pass — lower-case, runs of letters and digits, each
 *   punctuation mark alone, greedy longest-match word pieces — instead of through the
 *   tokenizers library's general pipeline, which allocates at every step and costs about as much
 *   as the rest of the answer path. Anything else (accents, other scripts, control characters, a
 *   special token's text) goes through the tokenizer.
 *
 * Before use, the encoder is compared with the tokenizer on varied texts; on any difference there
 * is no encoder and the caller uses the tokenizer. A question too long for the model (which the
 * tokenizer would truncate) also gets `undefined`.
 */

/** Tokenizer output as the model takes it: int64 tensors of shape [rows, tokens]. */
export type Encoded = Record<string, Tensor> & { readonly attention_mask: Tensor };

export type QuestionEncoder = (question: string) => Encoded | undefined;

/** Texts on which the encoder must match the tokenizer exactly (both the ASCII and the general path). */
const CHECKS = [
  "What did Germany do with Rosneft's refineries?",
  '  Leading spaces, "quotes", (brackets), U.S. $600 million; 36,000 rounds -- 105mm & the #1 e-mail @ 9:30 {ok} `x` ~y~ 50% a+b=c <tag> back\\slash pipe|',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  'Tabs\tand\nnew lines\r\nand   runs   of spaces?!... unbelievablyunrecognizablewords antidisestablishmentarianism xqzjv',
  `${'a'.repeat(101)} ${'b'.repeat(100)} supercalifragilisticexpialidocious`,
  'Ünïcödé café naïve Zürich — “curly quotes” 東京 日本語 emoji 🚀',
  'What does [MASK] mean, and [UNK] or [CLS]?',
  'HIMARS',
  '?',
];

interface TokenizerJson {
  readonly normalizer?: { readonly type?: string; readonly lowercase?: boolean; readonly strip_accents?: boolean | null } | null;
  readonly pre_tokenizer?: { readonly type?: string } | null;
  readonly model?: { readonly type?: string; readonly unk_token?: string; readonly continuing_subword_prefix?: string; readonly max_input_chars_per_word?: number };
  readonly added_tokens?: ReadonlyArray<{ readonly content: string }>;
}

export function createQuestionEncoder(tokenizer: PreTrainedTokenizer, prefix: string): QuestionEncoder | undefined {
  try {
    const full = (text: string) => tokenizer([text], { padding: true, truncation: true }) as unknown as Encoded;
    const bare = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
    const keys = Object.keys(full('a')).sort();
    const hasTypes = keys.includes('token_type_ids');
    if (keys.join() !== (hasTypes ? 'attention_mask,input_ids,token_type_ids' : 'attention_mask,input_ids')) return undefined;
    // Where the special tokens go: around the bare ids of a one-word text.
    const withSpecials = tokenizer.encode('a');
    const word = bare('a');
    const at = withSpecials.findIndex((_, i) => word.length > 0 && word.every((id, k) => withSpecials[i + k] === id));
    if (at < 0) return undefined;
    const head = withSpecials.slice(0, at);
    const tail = withSpecials.slice(at + word.length);
    const prefixIds = prefix === '' ? [] : bare(prefix);
    const maxLength = tokenizer.model_max_length ?? Number.POSITIVE_INFINITY;
    const ascii = asciiWordPiece(tokenizer);

    const encode: QuestionEncoder = (question) => {
      const ids = ascii?.(question) ?? bare(question);
      const length = head.length + prefixIds.length + ids.length + tail.length;
      if (length > maxLength) return undefined;
      const inputIds = new BigInt64Array(length);
      let k = 0;
      for (const part of [head, prefixIds, ids, tail]) for (const id of part) inputIds[k++] = BigInt(id);
      const dims = [1, length];
      const encoded: Record<string, Tensor> = {
        input_ids: new Tensor('int64', inputIds, dims),
        attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), dims),
      };
      if (hasTypes) encoded['token_type_ids'] = new Tensor('int64', new BigInt64Array(length), dims);
      return encoded as Encoded;
    };

    for (const text of CHECKS) {
      const expected = full(prefix + text);
      const got = encode(text);
      if (!got) return undefined;
      for (const key of keys) {
        const a = expected[key]!;
        const b = got[key]!;
        if (a.dims.join() !== b.dims.join() || !(a.data as BigInt64Array).every((v, i) => v === (b.data as BigInt64Array)[i])) return undefined;
      }
    }
    return encode;
  } catch {
    return undefined;
  }
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122);

/**
 * BERT's uncased WordPiece for printable-ASCII text (`undefined` for any other text), when the
 * tokenizer is exactly that: BertNormalizer with lower-casing, BertPreTokenizer, WordPiece.
 * For ASCII the normaliser only lower-cases and turns tabs and line breaks into spaces, and the
 * pre-tokenizer splits into runs of letters and digits and single punctuation marks.
 */
function asciiWordPiece(tokenizer: PreTrainedTokenizer): ((text: string) => number[] | undefined) | undefined {
  const json = (tokenizer as unknown as { _tokenizerJSON?: TokenizerJson })._tokenizerJSON;
  const model = json?.model;
  if (
    json?.normalizer?.type !== 'BertNormalizer' ||
    json.normalizer.lowercase !== true ||
    json.normalizer.strip_accents === false ||
    json.pre_tokenizer?.type !== 'BertPreTokenizer' ||
    model?.type !== 'WordPiece' ||
    model.unk_token === undefined ||
    (tokenizer as unknown as { config?: { remove_space?: boolean } }).config?.remove_space === true
  ) {
    return undefined;
  }
  const vocab = tokenizer.get_vocab() as Map<string, number>;
  const unk = vocab.get(model.unk_token);
  if (unk === undefined) return undefined;
  const continuing = model.continuing_subword_prefix ?? '##';
  const maxChars = model.max_input_chars_per_word ?? 100;
  // Text that contains a special token's text is split on it by the tokenizer: leave it to it.
  const specials = (json.added_tokens ?? []).map((t) => t.content.toLowerCase()).filter((t) => t !== '');

  return (text) => {
    const lower = text.toLowerCase();
    const ids: number[] = [];
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      if (!((c >= 32 && c <= 126) || c === 9 || c === 10 || c === 13)) return undefined;
    }
    for (const special of specials) if (lower.includes(special)) return undefined;
    let i = 0;
    while (i < lower.length) {
      const c = lower.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      let end = i + 1;
      if (isAlnum(c)) while (end < lower.length && isAlnum(lower.charCodeAt(end))) end++;
      const word = lower.slice(i, end);
      i = end;
      if (word.length > maxChars) {
        ids.push(unk);
        continue;
      }
      // Greedy longest match first; a word with an unknown piece is one [UNK].
      const first = ids.length;
      let start = 0;
      while (start < word.length) {
        let stop = word.length;
        let id: number | undefined;
        while (start < stop) {
          id = vocab.get(start > 0 ? continuing + word.slice(start, stop) : word.slice(start, stop));
          if (id !== undefined) break;
          stop--;
        }
        if (id === undefined) {
          ids.length = first;
          ids.push(unk);
          break;
        }
        ids.push(id);
        start = stop;
      }
    }
    return ids;
  };
}
