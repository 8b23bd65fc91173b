import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'build/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
  // Formatting is Prettier's (`npm run format`); switch off the stylistic rules that would fight it.
  prettier,
);
