import eslint from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.openapi-build/**',
      'dist/**',
      'console/dist/**',
      'console/src/content/validators/**',
      'node_modules/**',
      'coverage/**',
      'bench/results/**',
      'eslint.config.mjs',
      '.spectral.mjs',
      'jest.config.js',
      'test/support/swagger-plugin.js',
      'test/support/sequencer.js',
      'examples/**',
      'gateways/*/node_modules/**',
      'gateways/**/*.mjs',
      'scripts/**',
      'console/scripts/**',
      '.dependency-cruiser.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    // A migration is history: it keeps the words of its day.
    ignores: ['.openapi-build/**', 'src/database/migrations/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "TemplateElement[value.raw=/status\\s*(=|<>|IN\\s*\\()\\s*'(scheduled|queued|sending|sent|failed|unconfirmed|paused|skipped|cancelled|running|completed)'/i]",
          "Literal[value=/status\\s*(=|<>|IN\\s*\\()\\s*'(scheduled|queued|sending|sent|failed|unconfirmed|paused|skipped|cancelled|running|completed)'/i]",
        ].map((selector) => ({
          selector,
          message: 'Name statuses in SQL through PostStatus or RunStatus, not by hand.',
        })),
        // Reasons are words for people and may be reworded; code compares the code stored beside them.
        ...[
          'TemplateElement[value.raw=/\\b(\\w*reason|error)`?\\s+(NOT\\s+)?(LIKE|REGEXP|RLIKE)\\b/i]',
          'Literal[value=/\\b(\\w*reason|error)`?\\s+(NOT\\s+)?(LIKE|REGEXP|RLIKE)\\b/i]',
          "TemplateElement[value.raw=/\\b\\w*reason`?\\s*(=|<>|!=)\\s*'/i]",
          "Literal[value=/\\b\\w*reason`?\\s*(=|<>|!=)\\s*'/i]",
          ...['name', 'property.name'].flatMap((key) => [
            `CallExpression[callee.property.name=/^(startsWith|endsWith|includes|indexOf|match|matchAll|search)$/][callee.object.${key}=/[Rr]eason$/]`,
            `CallExpression[callee.property.name=/^(test|exec)$/][arguments.0.${key}=/[Rr]eason$/]`,
            `BinaryExpression[operator=/^[!=]==?$/][left.${key}=/[Rr]eason$/][right.type='Literal'][right.value!=null]`,
            `BinaryExpression[operator=/^[!=]==?$/][right.${key}=/[Rr]eason$/][left.type='Literal'][left.value!=null]`,
          ]),
        ].map((selector) => ({
          selector,
          message: 'Logic on reason text: compare its code (HoldCode, SkipCode, errorCode) instead.',
        })),
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'request.**.expect', '**.expect'] }],
      'jest/no-conditional-expect': 'off',
    },
  },
);
