import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';

const SEE = '(layering: see CONTRIBUTING.md)';

/**
 * The layers of `functions/` (CONTRIBUTING.md, "Layers"): dependencies point inwards. Each layer lists the
 * layers it may import; anything else of ferry — another layer, `emulators/`, `cli/`, `workflows/`, any
 * file outside these folders — is reported by `boundaries/dependencies` with the layer's own message.
 * Imports inside one layer and imports of npm packages are not checked here.
 */
const LAYERS = [
  {
    type: 'root',
    files: ['functions/*.ts'],
    may: [{ element: { type: 'entry' } }],
    message: `functions/index.ts only registers the entry points of functions/entry ${SEE}`,
  },
  {
    type: 'entry',
    may: [{ element: { types: ['adapters', 'pipeline', 'runtime', 'artifacts', 'core'] } }],
    message: `entry wires the layers below it and imports nothing of ferry outside functions/ ${SEE}`,
  },
  {
    type: 'adapters',
    may: [
      { element: { types: ['runtime', 'artifacts', 'core'] } },
      // The ports and the messages are the pipeline's contract; its stages are not.
      { element: { type: 'pipeline', fileInternalPath: ['ports.ts', 'messages.ts'] } },
    ],
    message: `adapters import only pipeline/ports.ts, pipeline/messages.ts, core, runtime and artifacts — never pipeline stages ${SEE}`,
  },
  {
    type: 'pipeline',
    may: [{ element: { types: ['runtime', 'artifacts', 'core'] } }],
    message: `pipeline imports only core, runtime and artifacts (adapters reach it through pipeline/ports.ts) ${SEE}`,
  },
  {
    type: 'runtime',
    may: [{ element: { types: ['artifacts', 'core'] } }],
    message: `runtime imports only artifacts and core ${SEE}`,
  },
  { type: 'artifacts', may: [], message: `artifacts imports nothing of ferry outside artifacts ${SEE}` },
  { type: 'core', may: [], message: `core imports nothing of ferry outside core ${SEE}` },
];

const layering = [
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      'boundaries/elements': [
        ...LAYERS.filter(({ type }) => type !== 'root').map(({ type }) => ({
          type,
          pattern: `functions/${type}`,
          partialMatch: false,
        })),
        // Listed after the layers, so it holds only the files directly in functions/ (index.ts).
        { type: 'root', pattern: 'functions', partialMatch: false },
        { type: 'emulators', pattern: 'emulators', partialMatch: false },
        { type: 'cli', pattern: 'cli', partialMatch: false },
      ],
    },
  },
  ...LAYERS.map(({ type, files, may, message }) => ({
    files: files ?? [`functions/${type}/**/*.ts`],
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          // A file of ferry outside every layer (workflows/, test/...) is disallowed too, not skipped.
          checkUnknownLocals: true,
          message,
          policies: may.length === 0 ? [] : [{ allow: { to: may } }],
        },
      ],
    },
  })),
];

/** What `ferry ui`'s page (cli/ui/public, plain browser modules) uses of the browser. */
const BROWSER_GLOBALS = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'fetch',
    'EventSource',
    'crypto',
    'TextEncoder',
    'DataView',
    'Node',
    'getComputedStyle',
    'requestAnimationFrame',
    'performance',
    'setInterval',
    'console',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'build/**', 'coverage/**', '**/*.js', '**/*.mjs', '!cli/ui/public/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['cli/ui/public/*.js'],
    languageOptions: { sourceType: 'module', globals: BROWSER_GLOBALS },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='jest'][callee.property.name='mock'] > Literal[value=/^(@google-cloud\\/|firebase-admin|google-gax)/]",
          message: 'Do not mock Google clients: run them against the emulators.',
        },
      ],
    },
  },
  ...layering,
  // Formatting is Prettier's (`npm run format`); switch off the stylistic rules that would fight it.
  prettier,
);
