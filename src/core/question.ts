import { MAX_QUESTION_CHARS } from '../limits.js';

export type QuestionCheck =
  | { readonly ok: true; readonly question: string }
  | { readonly ok: false; readonly reason: 'empty' | 'too-long' | 'no-words'; readonly message: string };

// Zero-width characters, bidi controls and C0/C1 control characters other than ordinary white space.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Normalises a user's question and says plainly why it cannot be answered when it cannot.
 * Strips invisible and control characters, folds white space. A question with no letter or digit
 * in any script (only emoji, only punctuation) is refused.
 */
export function checkQuestion(raw: string): QuestionCheck {
  const question = raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (question === '') {
    return { ok: false, reason: 'empty', message: 'Please ask a question about the article.' };
  }
  if (question.length > MAX_QUESTION_CHARS) {
    return {
      ok: false,
      reason: 'too-long',
      message: `That question is ${question.length} characters long; the limit is ${MAX_QUESTION_CHARS}.`,
    };
  }
  if (!/[\p{L}\p{N}]/u.test(question)) {
    return { ok: false, reason: 'no-words', message: 'That has no words to search for; please ask a question in words.' };
  }
  return { ok: true, question };
}
