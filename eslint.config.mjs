// ESLint flat config: typescript-eslint's type-aware rules over every TypeScript folder.
// Each file is typed by its nearest tsconfig.json (projectService), so src/ and test/ use the root one,
// bench/ and tools/ their own.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Folders the service's pure domain code lives in: no bot, server, dialog or composition imports. */
const pureDomain = ['phone', 'directory', 'verification', 'policy', 'cards', 'i18n'];

/** A `no-restricted-imports` pattern forbidding relative imports that climb into the named src/ folders. */
function forbidFolders(folders, why) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message: why };
}

export default defineConfig(
  {
    ignores: ['dist/**', 'build/**', 'coverage/**', 'node_modules/**', 'test-results/**', 'devTools/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: the mistakes that lose work or crash a turn.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Type-only imports vanish from the emitted JavaScript; with isolatedModules they must say so.
      // `typeof import('…')` stays allowed: it is how jest.requireActual and jest.mock factories are typed.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `let x!: T` declared before a closure that reads it later, then assigned, is the deliberate shape of
      // two objects that need each other; const would still work but hides the forward reference.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-console': 'off',

      // Off: these force churn without catching bugs here.
      // - require-await: an async method that implements a Promise-returning interface without awaiting is
      //   the normal shape of a fake or an in-memory implementation.
      '@typescript-eslint/require-await': 'off',
      // - restrict-template-expressions: numbers and booleans in messages are intended; `${obj}` mistakes
      //   are caught by no-base-to-string, which stays on.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // - unbound-method: botbuilder and jest pass methods around as values by design (expect(x.fn),
      //   dialog step arrays bound in constructors); the rule flags each one without finding a bug.
      '@typescript-eslint/unbound-method': 'off',
      // - no-unsafe-*: JSON.parse, restify's req.body and jest's expect.any() are `any` by their published
      //   types; each is validated with zod or asserted in a test, so these would only add casts.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // - no-unnecessary-type-assertion: nearly every hit is the `!` after an array index, which is
      //   redundant only because tsconfig lacks noUncheckedIndexedAccess; the marks say where an index is
      //   known to be in range and would be needed the day that option is turned on.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Layering: a dialog talks to the bot only through its constructor's collaborators.
    files: ['src/dialogs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [forbidFolders(['bot', 'server', 'app'], 'Dialogs may not import the bot, the server or the composition (src/app).')] },
      ],
    },
  },
  {
    // Layering: the pure domain folders never reach up into the bot, the server, dialogs or composition,
    // and use botbuilder only for its types.
    files: pureDomain.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['botbuilder', 'botbuilder-dialogs', 'botframework-connector', 'restify'].map((name) => ({
            name,
            message: `Domain code may use ${name} only as \`import type\`.`,
            allowTypeImports: true,
          })),
          patterns: [
            forbidFolders(['bot', 'server', 'dialogs', 'app'], 'Domain code may not import the bot, the server, dialogs or the composition (src/app).'),
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript configs (jest) are CommonJS and are not in any tsconfig.
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
