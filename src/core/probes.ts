/**
 * Questions that no news article is about. At index time they are embedded as questions and
 * scored against the article's passages: the spread of their best scores tells, for this model
 * and this article, how high an unrelated question scores. Abstention compares a real question
 * against that spread instead of against one absolute cosine threshold.
 *
 * They span everyday topics and question forms so that the spread is not tied to one topic.
 */
export const OFF_TOPIC_PROBES: readonly string[] = [
  'How do I bake sourdough bread at home?',
  'Who won the football world cup final?',
  'What is the boiling point of water at sea level?',
  'How do I reset my email password?',
  'Which programming language should a beginner learn first?',
  'Can you recommend a good comedy movie?',
  'Will it rain tomorrow afternoon?',
  'How many moons does Jupiter have?',
  'What are the symptoms of the common cold?',
  'How do I change a flat tire on a bicycle?',
  'Who painted the ceiling of the Sistine Chapel?',
  'What is the population of Australia?',
  'How does photosynthesis work in plants?',
  'What is the price of a cup of coffee in Paris?',
  'Tell me a joke about cats.',
  'How do I learn to play the guitar?',
  'What time is it in Tokyo right now?',
  'What is the tallest mountain in Africa?',
  'How long should I boil an egg?',
  'What are the rules of chess castling?',
  'How do vaccines train the immune system?',
  'What is the best way to clean a kitchen oven?',
  'Who wrote the novel Pride and Prejudice?',
  'How do I train my puppy to sit?',
];
