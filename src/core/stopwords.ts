/**
 * English function words that carry no topic. Used by lexical retrieval (BM25), by the lexical
 * coverage signal of abstention, and by the tests' bag-of-words model so that its dense vectors
 * ignore the same words.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for from
further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is
isn it its itself just let me more most my myself no nor not now of off on once only or other ought our ours
ourselves out over own same shan she should shouldn so some such than that the their theirs them themselves
then there these they this those through to too under until up very was wasn we were weren what when where
which while who whom why will with won would wouldn you your yours yourself yourselves s t d ll m re ve
also tell say said says according article story text please me us one ones get got thing things much many lot lots
may might must shall yes anything something someone anyone everything every else per via whose kind exactly really
im ive id youre youve youd theyre theyve thats whats whos wheres hows dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt hasnt havent hadnt lets`
    .split(/\s+/)
    .filter(Boolean),
);
