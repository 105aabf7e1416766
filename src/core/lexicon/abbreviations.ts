/**
 * Abbreviations people type for words an article spells out: units ("kwh"), titles ("ceo") and
 * everyday short forms ("uni", "govt"). A closed, general list; an abbreviation the article itself
 * uses is matched as it is and never looked up here.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  kwh: 'kilowatt-hour', mwh: 'megawatt-hour', gwh: 'gigawatt-hour', twh: 'terawatt-hour',
  kw: 'kilowatt', mw: 'megawatt', gw: 'gigawatt', km: 'kilometre kilometer', kg: 'kilogram', mph: 'miles per hour', kph: 'kilometres per hour',
  ceo: 'chief executive', cfo: 'chief financial officer', cto: 'chief technology officer', coo: 'chief operating officer',
  pm: 'prime minister', mp: 'member of parliament', gop: 'republican', dem: 'democrat', dems: 'democrats', sen: 'senator', rep: 'representative', gov: 'governor',
  ev: 'electric vehicle car', evs: 'electric vehicles cars', uni: 'university', govt: 'government', dept: 'department', intl: 'international', temp: 'temporary',
  info: 'information', approx: 'approximately', phd: 'doctoral doctorate', prof: 'professor', dr: 'doctor', eu: 'european union', un: 'united nations',
  ammo: 'ammunition', intel: 'intelligence', admin: 'administration', stats: 'statistics', tech: 'technology', bn: 'billion', mln: 'million',
  vs: 'versus against compared', avg: 'average', yr: 'year', yrs: 'years', mo: 'month', hr: 'hour', hrs: 'hours', min: 'minute', mins: 'minutes',
};
