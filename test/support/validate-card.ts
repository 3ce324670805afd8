import type * as AdaptiveCards from 'adaptivecards';

/**
 * The package's main entry (an ES module build) does not load on Node 20; the bundled UMD build does.
 * Parsing and property validation need no DOM (only rendering does), so no window/document is set up
 * and no global is touched. `require` caches the module, so repeated calls cost nothing.
 */
function loadAdaptiveCards(): typeof AdaptiveCards {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the UMD build is loaded lazily, on first use
  return require('adaptivecards/dist/adaptivecards.js');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Fields that hold visible text, by element type. */
const TEXT_FIELDS_BY_TYPE: Record<string, readonly string[]> = {
  TextBlock: ['text'],
  TextRun: ['text'],
  'Input.Toggle': ['title'],
};
/** Fields that hold visible text on every input. */
const INPUT_TEXT_FIELDS = ['label', 'placeholder', 'errorMessage'];
/** Submit payloads are for the bot, not the user. */
const NOT_RENDERED = new Set(['data']);

/**
 * Problems in an Adaptive Card as Teams would get it: what the adaptivecards 3.0.6 library reports when
 * it parses the card at version 1.5 and validates it, plus the project's rules (version 1.5, full
 * width, no unexpanded `${`, labelled inputs, error messages on validated inputs, no Input.Number,
 * Action.Submit with data). An empty list means the card is fine.
 */
export function validateCard(card: object): string[] {
  const json = toJson(card);
  return [...libraryProblems(json), ...projectProblems(json)];
}

/**
 * Every string a user can see in the card, in document order: TextBlock/TextRun text, input labels,
 * placeholders and error messages, toggle titles, action titles, choice titles, FactSet titles and
 * values (nested cards of Action.ShowCard included).
 */
export function collectTexts(card: object): string[] {
  const texts: string[] = [];
  walk(
    toJson(card),
    '$',
    (node) => {
      if (!isObject(node)) return;
      const type = typeof node.type === 'string' ? node.type : '';
      const fields = [...(TEXT_FIELDS_BY_TYPE[type] ?? [])];
      if (type.startsWith('Input.')) fields.push(...INPUT_TEXT_FIELDS);
      if (type.startsWith('Action.')) fields.push('title');
      for (const field of fields) {
        const value = node[field];
        if (typeof value === 'string' && value !== '') texts.push(value);
      }
      if (type === 'RichTextBlock' && Array.isArray(node.inlines)) {
        for (const inline of node.inlines) if (typeof inline === 'string' && inline !== '') texts.push(inline);
      }
      if (type === 'Input.ChoiceSet' && Array.isArray(node.choices)) {
        for (const choice of node.choices) pushString(texts, isObject(choice) ? choice.title : undefined);
      }
      if (type === 'FactSet' && Array.isArray(node.facts)) {
        for (const fact of node.facts) {
          if (!isObject(fact)) continue;
          pushString(texts, fact.title);
          pushString(texts, fact.value);
        }
      }
    },
    NOT_RENDERED,
  );
  return texts;
}

function libraryProblems(json: Json): string[] {
  const AC = loadAdaptiveCards();
  const problems: string[] = [];
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  try {
    card.parse(json, context);
  } catch (error) {
    return [`library: parse threw: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (let i = 0; i < context.eventCount; i += 1) {
    const event = context.getEventAt(i);
    problems.push(`library (parse): ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    const source = event.source instanceof AC.CardObject ? ` [${event.source.getJsonTypeName()}]` : '';
    problems.push(`library (validate): ${AC.ValidationEvent[event.event]}${source}: ${event.message}`);
  }
  return problems;
}

function projectProblems(json: Json): string[] {
  const problems: string[] = [];
  if (!isObject(json)) return ['card is not a JSON object'];
  if (json.version !== '1.5') problems.push(`version must be "1.5" (Teams' highest), found ${JSON.stringify(json.version ?? null)}`);
  const msteams = json.msteams;
  if (!isObject(msteams) || msteams.width !== 'Full') problems.push('msteams.width must be "Full"');

  walk(json, '$', (node, path) => {
    if (typeof node === 'string') {
      if (node.includes('${')) problems.push(`unexpanded template expression "\${" at ${path}: ${JSON.stringify(node)}`);
      return;
    }
    if (!isObject(node)) return;
    for (const key of Object.keys(node)) {
      if (key.includes('${')) problems.push(`unexpanded template expression "\${" in a key at ${path}: ${JSON.stringify(key)}`);
    }
    const type = typeof node.type === 'string' ? node.type : '';
    const name = `${type}${typeof node.id === 'string' ? ` "${node.id}"` : ''} at ${path}`;
    if (type === 'Input.Number') problems.push(`Input.Number is not allowed (it mangles phone numbers and leading zeros): ${name}`);
    if (type.startsWith('Input.')) {
      if (typeof node.label !== 'string' || node.label.trim() === '') problems.push(`${name} has no label`);
      const validated = node.isRequired === true || node.regex !== undefined;
      if (validated && (typeof node.errorMessage !== 'string' || node.errorMessage.trim() === '')) {
        problems.push(`${name} has isRequired or regex but no errorMessage`);
      }
    }
    if (type === 'Action.Submit' && !isObject(node.data)) problems.push(`${name} must carry a data object`);
  });
  return problems;
}

/** Visits every value depth-first with a JSONPath-like location, not entering keys in `skip`. */
function walk(node: Json, path: string, visit: (node: Json, path: string) => void, skip: ReadonlySet<string> = new Set()): void {
  visit(node, path);
  if (Array.isArray(node)) {
    node.forEach((child, index) => walk(child, `${path}[${index}]`, visit, skip));
  } else if (isObject(node)) {
    for (const [key, child] of Object.entries(node)) if (!skip.has(key)) walk(child, `${path}.${key}`, visit, skip);
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pushString(texts: string[], value: Json | undefined): void {
  if (typeof value === 'string' && value !== '') texts.push(value);
}

/** A JSON round trip: drops undefined and functions exactly as sending the card would. */
function toJson(card: object): Json {
  return JSON.parse(JSON.stringify(card));
}
