import { createRequire } from 'node:module';

/**
 * Past forms of English irregular verbs mapped to the base verb ("sent" → "send", "given" →
 * "give", "held" → "hold"), from the `english-verbs-irregular` package. A stemmer cannot do this
 * (it only strips endings), so "What did the US send?" would otherwise miss "has sent".
 *
 * Forms that are also common words of another meaning are left alone: mapping them would merge
 * unrelated topics ("left" wing ≠ "leave"; a "ground" offensive; a "wound"). "Found", "saw", "fell"
 * and "felt" are mapped: in news they are nearly always "find", "see", "fall" and "feel" (the
 * company was "founded", which stems apart). From the evaluation: "who found the breach" is no
 * longer answered with who founded the company; fine set +1 follow-up and +1 near-topic refused.
 */
const AMBIGUOUS_FORMS = new Set(['left', 'bound', 'ground', 'rose', 'wound', 'lay', 'lit', 'shot', 'spat', 'ate', 'bore']);

const require = createRequire(import.meta.url);
const verbs = require('english-verbs-irregular/dist/verbs.json') as Record<string, string[][]>;

const BASE_OF = new Map<string, string>();
for (const [base, forms] of Object.entries(verbs)) {
  for (const pair of forms) {
    for (const form of pair) {
      if (form !== base && !AMBIGUOUS_FORMS.has(form) && /^[a-z]+$/.test(form) && !BASE_OF.has(form)) BASE_OF.set(form, base);
    }
  }
}

/** True for a verb's past form, regular or irregular ("destroyed", "sent"); lower case. */
export function isPastForm(word: string): boolean {
  return /^[a-z]{3,}ed$/.test(word) || baseVerb(word) !== word;
}

/** The base verb of an irregular past form, or the word itself. */
export function baseVerb(word: string): string {
  return BASE_OF.get(word) ?? word;
}
