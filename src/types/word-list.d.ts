declare module 'word-list' {
  /** Absolute path of words.txt: lower-case English words, one per line. */
  const wordListPath: string;
  export default wordListPath;
}
