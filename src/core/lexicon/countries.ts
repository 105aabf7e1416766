import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Country names as news readers use them, from the `world-countries` data set: the name, its
 * official and other spellings, the demonym ("German", "Ukrainians"), and the capital, which news
 * writing uses for the government ("Berlin seized…", "Washington announced…").
 *
 * Names and demonyms of one country are one concept (the analysis maps them to one term); a
 * capital only stands for its country sometimes, so it is an expansion with partial credit.
 */

export interface CountryEntry {
  /** The canonical term shared by the name and demonym of one country, e.g. "country:deu". */
  readonly term: string;
}

interface RawCountry {
  readonly cca3: string;
  readonly independent?: boolean | null;
  readonly unMember?: boolean;
  readonly name: { readonly common: string; readonly official: string };
  readonly altSpellings: readonly string[];
  readonly demonyms?: { readonly eng?: { readonly f: string; readonly m: string } };
  readonly capital?: readonly string[];
}

/** Two-letter codes that English text uses as words for a country. */
const ACRONYM_NAMES = new Set(['US', 'UK']);
/**
 * Everyday English names the data set does not list: short names, the nations of the United
 * Kingdom, and the nouns for a country's people that are not its demonym ("the Danes", "Poles").
 */
const ALSO_KNOWN_AS: Readonly<Record<string, readonly string[]>> = {
  USA: ['America', 'the States', 'Yanks'],
  GBR: ['Britain', 'England', 'Scotland', 'Wales', 'Brits', 'Scots'],
  DNK: ['Danes', 'Dane'],
  SWE: ['Swedes'],
  FIN: ['Finns'],
  POL: ['Poles'],
  TUR: ['Turks'],
  NLD: ['Holland', 'Dutch'],
  AUS: ['Aussies'],
  NZL: ['Kiwis'],
};

export interface Gazetteer {
  /** Folded lower-case phrase (words joined by one space) → country term: names and demonyms. */
  readonly names: ReadonlyMap<string, string>;
  /** Folded lower-case capital → country term. */
  readonly capitals: ReadonlyMap<string, string>;
  /** Folded lower-case demonyms ("german", "chinese"): they describe rather than name. */
  readonly demonyms: ReadonlySet<string>;
  /**
   * First word of every name of several words → the lengths (in words) of those names, longest
   * first: text analysis tries a phrase only where a word can start one.
   */
  readonly phraseStarts: ReadonlyMap<string, readonly number[]>;
}

let shared: Gazetteer | undefined;

export function gazetteer(): Gazetteer {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const raw = JSON.parse(readFileSync(require.resolve('world-countries/countries.json'), 'utf8')) as RawCountry[];
    shared = buildGazetteer(raw);
  }
  return shared;
}

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

function rank(c: RawCountry): number {
  return c.unMember ? 0 : c.independent ? 1 : 2;
}

export function buildGazetteer(countries: readonly RawCountry[]): Gazetteer {
  const names = new Map<string, string>();
  const capitals = new Map<string, string>();
  const demonyms = new Set<string>();
  // Sovereign UN members first: a spelling two entries share ("American": the United States and the
  // Northern Mariana Islands) goes to the country people mean.
  const ordered = [...countries].sort((a, b) => rank(a) - rank(b));
  for (const c of ordered) {
    const term = `country:${c.cca3.toLowerCase()}`;
    const spellings = [c.name.common, c.name.official, ...(ALSO_KNOWN_AS[c.cca3] ?? []), ...c.altSpellings.filter((s) => s.length > 2 || ACRONYM_NAMES.has(s))];
    if (c.demonyms?.eng) {
      spellings.push(c.demonyms.eng.m, c.demonyms.eng.f);
      for (const d of [c.demonyms.eng.m, c.demonyms.eng.f]) if (fold(d) !== fold(c.name.common)) demonyms.add(fold(d));
    }
    for (const spelling of spellings) {
      // Only Latin-script spellings: the analysis folds accents, other scripts never match.
      if (!/^[\p{Script=Latin}\s.,'()-]+$/u.test(spelling)) continue;
      const key = fold(spelling);
      if (key && !names.has(key)) names.set(key, term);
    }
    for (const capital of c.capital ?? []) {
      // "Washington D.C." is called "Washington".
      const key = fold(capital.replace(/\s+D\.?C\.?$/, ''));
      if (key && !names.has(key) && !capitals.has(key)) capitals.set(key, term);
    }
  }
  const phraseStarts = new Map<string, number[]>();
  for (const key of names.keys()) {
    const words = key.split(' ');
    if (words.length < 2) continue;
    const lengths = phraseStarts.get(words[0]!) ?? [];
    if (!lengths.includes(words.length)) lengths.push(words.length);
    phraseStarts.set(words[0]!, lengths.sort((a, b) => b - a));
  }
  return { names, capitals, demonyms, phraseStarts };
}
