import { gazetteer } from './countries.js';
import { englishWords } from './english-words.js';
import { baseVerb } from './irregular-verbs.js';
import { wordFrequency } from './word-frequency.js';

/**
 * Loads every word list the answer path uses (countries, English words, irregular verbs, word
 * frequencies: about 150 ms on 2 cores), which would otherwise fall on the first question. The
 * service does it just after it is ready, while a bot is still connecting to Discord.
 */
export function loadLexicons(): void {
  gazetteer();
  englishWords().has('warm');
  baseVerb('went');
  wordFrequency().generalIdf('warm');
}
