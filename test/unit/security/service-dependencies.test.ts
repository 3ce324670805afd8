import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The running service (src/) loads only packages listed in `dependencies`: a production install
 * (`npm ci --omit=dev`, or `npm prune --omit=dev` after the build) has nothing else. Development
 * packages (the manifest validator, jszip, pngjs, playwright-core…) belong to the tools in tools/.
 */

const ROOT = path.resolve(__dirname, '../../..');
const SRC = path.join(ROOT, 'src');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Found {
  readonly file: string;
  readonly specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file loads at run time: imports, re-exports, require() and import(); `import type` is erased. */
function runtimeImports(full: string): string[] {
  const source = ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText(source) === 'require')) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** The package a bare specifier names (`@azure/identity/x` → `@azure/identity`), or undefined for a relative path or a Node built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('packages the service loads', () => {
  const found: Found[] = sourceFiles(SRC).flatMap((full) =>
    runtimeImports(full).map((specifier) => ({ file: path.relative(ROOT, full).split(path.sep).join('/'), specifier })),
  );

  it('finds the imports it is meant to check', () => {
    // A scanner that found nothing would pass everything.
    expect(found.length).toBeGreaterThan(200);
    expect(found).toContainEqual({ file: 'src/main.ts', specifier: './app/build-app' });
    expect(found.map((f) => f.specifier)).toEqual(expect.arrayContaining(['botbuilder', 'node:crypto', 'libphonenumber-js/max']));
  });

  it.each([
    ['jszip', 'jszip'],
    ['@azure/identity', '@azure/identity'],
    ['libphonenumber-js/max', 'libphonenumber-js'],
    ['@microsoft/app-manifest/lib/x', '@microsoft/app-manifest'],
    ['./deep-links', undefined],
    ['node:fs', undefined],
    ['fs', undefined],
  ])('reads the package of %s as %s', (specifier, expected) => {
    expect(packageOf(specifier)).toBe(expected);
  });

  it('are all production dependencies', () => {
    const outside = found.filter((f) => {
      const name = packageOf(f.specifier);
      return name !== undefined && !(name in packageJson.dependencies);
    });
    expect(outside).toEqual([]);
  });

  it('include no development package (those belong to tools/)', () => {
    const dev = found.filter((f) => {
      const name = packageOf(f.specifier);
      return name !== undefined && name in packageJson.devDependencies;
    });
    expect(dev).toEqual([]);
  });
});
