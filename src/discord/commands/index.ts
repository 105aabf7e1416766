import type { Command } from './command.js';
import addArticle from './add-article.js';
import article from './article.js';
import ask from './ask.js';
import findInArticle from './find-in-article.js';
import help from './help.js';
import passage from './passage.js';

export type { Command, MessageMenuCommand, SlashCommand } from './command.js';

/** Every command the bot has: what `register.ts` registers and what the router dispatches to. */
export const commands: readonly Command[] = [ask, passage, article, addArticle, help, findInArticle];

/** Commands by name, for the router. @throws Error if two commands share a name. */
export function commandMap(list: readonly Command[] = commands): ReadonlyMap<string, Command> {
  const map = new Map<string, Command>();
  for (const command of list) {
    if (map.has(command.data.name)) throw new Error(`Two commands are named "${command.data.name}".`);
    map.set(command.data.name, command);
  }
  return map;
}
