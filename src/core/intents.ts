import { typoEdits } from './vocabulary.js';
import { englishWords } from './lexicon/english-words.js';
import { terms } from './terms.js';
/**
 * Questions about the article itself rather than its content. Matched on the question's wording
 * only, so "When did Putin meet Xi?" is a content question while "When was this published?" is
 * about the article.
 */
export type ArticleIntent = 'author' | 'date' | 'headline' | 'summary' | 'conclusion';

const SELF = String.raw`(?:this|the|that|your|it'?s?|its)\s*(?:article|story|piece|report|text|news|post|document)?`;

const PATTERNS: ReadonlyArray<readonly [ArticleIntent, RegExp]> = [
  ['author', new RegExp(String.raw`\b(?:who(?:'s| is| was)?\s+(?:the\s+)?(?:author|writer|journalist|reporter)\b|who\s+(?:wrote|writes|authored|penned|reported|published)\s*(?:${SELF})?\s*[?.!]*$|(?:author|writer|byline)\s+of\s+(?:this|the)|written\s+by\s+whom|by\s+whom\s+(?:was|is))`, 'i')],
  ['author', new RegExp(String.raw`\b(?:what(?:'s| is)\s+the\s+(?:author|byline)|name\s+of\s+the\s+(?:author|writer|journalist)|who\s+is\s+${SELF}\s+by)`, 'i')],
  // "Who wrote the piece about the battery?": the article named by its topic.
  ['author', /\bwho\s+(?:wrote|authored|penned|reported)\s+(?:the|this|that)\s+(?:article|story|piece|report|text)\s+(?:about|on)\b/i],
  ['date', /\bwhen\s+(?:was|is)\s+(?:the|this|that)\s+(?:article|story|piece|report)\s+(?:about|on)\s+.+\s+(?:published|written|posted|released)\b/i],
  ['date', new RegExp(String.raw`\b(?:when\s+(?:was|is|did)\s+${SELF}\s*(?:first\s+)?(?:published|written|posted|released|dated|come out|appear|run)|publication\s+date|date\s+of\s+(?:the\s+)?(?:article|publication|story)|what\s+(?:date|day|year)\s+(?:was|is)\s+${SELF}\s*(?:published|written|from|dated)?\s*\??$|how\s+old\s+is\s+${SELF})`, 'i')],
  ['headline', new RegExp(String.raw`\b(?:headline|(?:what(?:'s| is)\s+)?the\s+title\s+of\s+(?:this|the)|what(?:'s| is)\s+${SELF}\s*(?:called|titled)|what(?:'s| is)\s+the\s+title\b)`, 'i')],
  // "What's the article's conclusion?", "how does the story end?": news writing closes on its last paragraph.
  ['conclusion', new RegExp(String.raw`\b(?:(?:what(?:'s|s| is)\s+)?(?:the\s+)?(?:article|story|piece|report|writer|author)(?:'s|s)?\s+(?:conclusion|ending|last\s+(?:point|word|paragraph))|(?:what(?:'s|s| is)\s+)?the\s+(?:conclusion|ending|last\s+paragraph|final\s+paragraph|bottom\s+line)(?:\s+of\s+${SELF})?\s*[?.!]*$|how\s+does\s+${SELF}\s*(?:end|conclude|finish|wrap\s+up)|what\s+does\s+${SELF}\s*conclude)`, 'i')],
  ['summary', new RegExp(String.raw`\b(?:what(?:'s| is)\s+${SELF}\s*about|summar(?:y|ise|ize)|main\s+(?:point|idea|takeaway)s?|gist|tl;?\s?dr|key\s+points?|overview\s+of\s+${SELF})`, 'i')],
];

/** A question that is only a metadata noun: "author?", "publication date", "headline". */
const BARE: ReadonlyArray<readonly [ArticleIntent, RegExp]> = [
  ['author', /^\W*(?:the\s+)?(?:author|writer|byline|journalist|reporter)\W*$/i],
  ['date', /^\W*(?:the\s+)?(?:(?:publication|published|release)\s+)?date(?:\s+(?:published|of\s+publication))?\W*$|^\W*when\s+published\W*$/i],
  ['headline', /^\W*(?:the\s+)?(?:headline|title)\W*$/i],
  ['conclusion', /^\W*(?:the\s+)?(?:conclusion|ending|bottom\s+line)\W*$/i],
];

export function detectArticleIntent(question: string): ArticleIntent | undefined {
  const text = correctIntentWords(question);
  for (const [intent, pattern] of [...BARE, ...PATTERNS]) if (pattern.test(text)) return intent;
  return undefined;
}

/** The words metadata questions turn on, as people misspell them ("whats the headlin", "who's the auther"). */
const KEY_WORDS = ['author', 'writer', 'journalist', 'reporter', 'byline', 'headline', 'title', 'published', 'publication', 'summary', 'summarise', 'summarize', 'article', 'conclusion'];
/** Shortest word taken for a misspelt key word: one edit in a shorter word is too often another word. */
const MIN_CORRECTED_LETTERS = 5;

/** The question with a word no dictionary knows, one edit from a key word, written as that key word. */
function correctIntentWords(question: string): string {
  return question.replace(/[A-Za-z]+/g, (word) => {
    const lower = word.toLowerCase();
    if (lower.length < MIN_CORRECTED_LETTERS || KEY_WORDS.includes(lower)) return word;
    const key = KEY_WORDS.find((k) => Math.abs(k.length - lower.length) <= 1 && typoEdits(k, lower) === 1);
    return key && !englishWords().has(lower) ? key : word;
  });
}

/**
 * The terms of the words metadata questions are made of. A question whose other words name
 * something in the article ("the key points of the Taiwan Policy Act", "headline news about
 * Rosneft") is about that topic, not about the article.
 */
export const INTENT_WORDS: ReadonlySet<string> = new Set(
  terms(
    'author authors writer writers wrote write written writes authored penned journalist reporter reporters byline published publish publication posted released date dated day year headline title titled called article story piece report text news post document summary summarise summarize summarised main point points key idea ideas gist overview takeaway takeaways tldr old new latest conclusion conclude concludes ending end ends finish bottom line last final paragraph',
  ),
);
