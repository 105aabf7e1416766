import { ensureBuilt } from '../../scripts/compiled.mjs';

/**
 * Once per test run, before any test: compile src/ into dist/, because the tests run the commands
 * as users run them — `npm start`, `npm run ask`, `embed` and `register` run the compiled
 * JavaScript on plain Node (see scripts/compiled.mjs). Always compiled afresh, so a test can never
 * run code older than the sources.
 */
export default async function setup(): Promise<void> {
  await ensureBuilt({ force: true });
}
