import { describe, expect, it } from 'vitest';
import { passageCommand } from '../../src/cli/interactive.js';

/** Which terminal lines are the passage command; the REPL itself runs in cli.test.ts. */

describe('passageCommand', () => {
  it.each([
    ['passage 7', '7'],
    ['Passage 7', '7'],
    ['p 7', '7'],
    ['P 12', '12'],
    ['¶7', '7'],
    ['¶ 7', '7'],
    ['  ¶7  ', '7'],
    ['passage ¶7', '¶7'],
    ['passage seven', 'seven'],
    ['passage', ''],
    ['¶', ''],
  ])('%j is the command with argument %j', (line, arg) => {
    expect(passageCommand(line)).toBe(arg);
  });

  it.each(['Putin', 'p', 'pipelines?', 'p seven', 'p.s. who won?', 'passage of time?', 'passages', 'Who is Putin?', 'p 7 and 8'])('%j is a question, not the command', (line) => {
    expect(passageCommand(line)).toBeUndefined();
  });
});
