/**
 * Twenty typical questions about the seed article, of varied length and form. None is an
 * article-metadata question (author, date, headline, summary), so each one goes through the whole
 * answer path: one forward pass, hybrid search, a sentence answer. The same questions are used for
 * the floor, so every comparison is like for like.
 */
export const BENCH_QUESTIONS: readonly string[] = [
  'What is HIMARS?',
  'Who is Ben Hodges?',
  "What did Germany do with Rosneft's refineries?",
  'How much additional military aid did the Biden administration announce?',
  'What does the new drawdown arms shipment include?',
  'Which long-range missile did Mitch McConnell demand for Ukraine?',
  'What did Marco Rubio say about longer-range missiles?',
  'Why does Ben Hodges think the Russian Federation might collapse?',
  'What happened in Izum?',
  'What is the Taiwan Policy Act?',
  'How much would the Taiwan Policy Act send in weapons to Taiwan?',
  'Where did Putin and Xi Jinping meet?',
  'What did Modi tell Putin about war?',
  'What did Alexander Gabuev say about China?',
  'How far did Ukrainian forces advance in one week?',
  'How much assistance has the US allocated to Ukraine to date?',
  'Is the US preparing for a war with China over Taiwan?',
  'What did Olaf Scholz say about the refineries?',
  'Are Russia and China being driven closer together?',
  'Which weapons have already been delivered to Ukraine by the United States?',
];

/** The default model's query prefix (snowflake-arctic-embed-xs), set explicitly for the bench folder. */
export const QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';
