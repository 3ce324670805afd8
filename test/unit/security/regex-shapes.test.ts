import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Every regular expression in src/ and tools/, read from the syntax tree, checked for the two shapes that make a
 * backtracking engine super-linear. The timing test (linear-time.test.ts) covers the paths that see
 * outside text; this one also covers configuration and tools, and catches a new pattern at once.
 *
 * - A run before `$` without `^` (`/\/+$/`, `/[.!]+$/`): the match is tried from every position of
 *   a run that is not at the end, each scanning to the run's end: quadratic. Use stripTrailing.
 * - A quantified group that itself ends in a quantifier (`(a+)+`, `(\d+\s?)*`): exponential when the
 *   inner and outer repetition can split the same text in many ways.
 */

const ROOT = path.resolve(__dirname, '../../..');
/** The service and the admin tools; files are named from the project root. */
const SCANNED = ['src', 'tools'].map((dir) => path.join(ROOT, dir));

/** Reviewed exceptions, by file and pattern, with why they are linear. */
const REVIEWED_NESTED: ReadonlyMap<string, string> = new Map([
  // Each repetition starts with `[`, which its digits cannot match: one way to split, no backtracking.
  ['tools/teams-app/validate-manifest.ts /^([A-Za-z0-9$]+)((?:\\[\\d+\\])*)$/', 'delimited repetition'],
]);

/** `new RegExp(...)` sites: their pattern is built at run time, so each is reviewed by hand. */
const REVIEWED_DYNAMIC: ReadonlyMap<string, string> = new Map([
  // `^[0-9]{N}$` with N the configured code length: anchored, bounded.
  ['src/verification/code-verifier.ts', 'anchored fixed-length digits'],
  // A developer tool driving a browser; the name is escaped and comes from our own catalog.
  ['tools/screenshots/playground-chat.ts', 'escaped catalog text'],
]);

interface Found {
  readonly file: string;
  readonly pattern: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function scan(): { literals: Found[]; dynamic: Found[] } {
  const literals: Found[] = [];
  const dynamic: Found[] = [];
  for (const full of SCANNED.flatMap(sourceFiles)) {
    const file = path.relative(ROOT, full).split(path.sep).join('/');
    const source = ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.push({ file, pattern: node.getText(source) });
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(source) === 'RegExp') {
        dynamic.push({ file, pattern: node.getText(source) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, dynamic };
}

/** The pattern between the slashes. */
function bodyOf(literal: string): string {
  return literal.slice(1, literal.lastIndexOf('/'));
}

/** An unbounded quantifier (`+`, `*`, `{n,}`) starts at `index`. */
function unboundedAt(body: string, index: number): boolean {
  return body[index] === '+' || body[index] === '*' || /^\{\d+,\}/u.test(body.slice(index));
}

/** A quantified atom right before a final `$`, in a pattern not anchored at the start. */
function isTrailingRun(body: string): boolean {
  return !body.startsWith('^') && /(?:[+*]|\{\d+,\})\??\$$/u.test(body) && !body.endsWith('\\$');
}

/** A group repeated without bound whose body also repeats without bound: `(a+)+`, `(\d+\s?)*`. */
function hasNestedQuantifier(body: string): boolean {
  const enclosing: boolean[] = [];
  let unbounded = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (c === '\\') {
      i += 1;
    } else if (c === '[') {
      i += 1;
      while (i < body.length && body[i] !== ']') i += body[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      enclosing.push(unbounded);
      unbounded = false;
    } else if (c === ')') {
      const inner: boolean = unbounded;
      const repeated = unboundedAt(body, i + 1);
      if (inner && repeated) return true;
      unbounded = (enclosing.pop() ?? false) || inner || repeated;
    } else if (unboundedAt(body, i)) {
      unbounded = true;
    }
  }
  return false;
}

describe('regular expressions in src/ and tools/', () => {
  const { literals, dynamic } = scan();

  it('finds the patterns it is meant to check', () => {
    // A scanner that found nothing would pass everything.
    expect(literals.length).toBeGreaterThan(50);
    expect(literals).toContainEqual({ file: 'src/bot/commands.ts', pattern: '/<at>[^<]*<\\/at>/gi' });
  });

  it.each([
    ['/\\/+$/', true],
    ['/[.!。！]+$/u', true],
    ['/\\s*$/', true],
    ['/x{2,}$/', true],
    ['/x{2,4}$/', false],
    ['/^\\d+$/', false],
    ['/\\.json$/', false],
    ['/^[\\s:.]+/u', false],
    ['/a+\\$/', false],
  ])('recognizes %s as a trailing run: %s', (literal, expected) => {
    expect(isTrailingRun(bodyOf(literal))).toBe(expected);
  });

  it.each([
    ['/^(a+)+$/', true],
    ['/(\\d+\\s?)*x/', true],
    ['/^(?:[a-z]+\\.)*$/', true],
    ['/(?:ab)+/', false],
    ['/^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$/', false],
    ['/([+*])+/', false],
    ['/(a{2,})*/', true],
    ['/(a{2,5})*/', false],
  ])('recognizes %s as a nested quantifier: %s', (literal, expected) => {
    expect(hasNestedQuantifier(bodyOf(literal))).toBe(expected);
  });

  it('has no run before `$` without `^`', () => {
    expect(literals.filter((found) => isTrailingRun(bodyOf(found.pattern)))).toEqual([]);
  });

  it('has no nested quantifiers except reviewed ones', () => {
    const nested = literals.filter((found) => hasNestedQuantifier(bodyOf(found.pattern)));
    const keys = nested.map((found) => `${found.file} ${found.pattern}`);
    expect(keys.filter((key) => !REVIEWED_NESTED.has(key))).toEqual([]);
    // A review of a pattern that is gone would excuse a new one at the same place.
    expect([...REVIEWED_NESTED.keys()].filter((key) => !keys.includes(key))).toEqual([]);
  });

  it('builds patterns at run time only where reviewed', () => {
    const files = [...new Set(dynamic.map((found) => found.file))];
    expect(files.filter((file) => !REVIEWED_DYNAMIC.has(file))).toEqual([]);
    expect([...REVIEWED_DYNAMIC.keys()].filter((file) => !files.includes(file))).toEqual([]);
  });
});
