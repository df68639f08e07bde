// Lint rules for the whole project. The provider-aws root import is banned: it loads every
// resource binding (seconds and hundreds of MB); import `@cdktf/provider-aws/lib/<resource>` instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'pipeline/schema/plan-validator.generated.ts',
      'node_modules/**',
      'dist/**',
      'cdktf.out/**',
      'gigawatt.out/**',
      'coverage/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: 'Import @cdktf/provider-aws/lib/<resource> instead.' },
            {
              name: '@cdktf/provider-aws/lib',
              message: 'Import @cdktf/provider-aws/lib/<resource> instead.',
            },
            {
              name: '@cdktf/provider-aws/lib/index',
              message: 'Import @cdktf/provider-aws/lib/<resource> instead.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'pipeline/model/**/*.ts',
      'pipeline/rules/**/*.ts',
      'pipeline/catalog/**/*.ts',
      'pipeline/schema/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['cdktf', 'cdktf/*', 'constructs', '@cdktf/*', '@pulumi/*', '@aws-sdk/*'],
              message:
                'model/, rules/, catalog/ and schema/ stay free of cdktf, constructs, Pulumi and the AWS SDK.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pipeline below the API: only pipeline/synth.ts (which joins the constructs' Terraform) with its worker, and
    // pipeline/live/ (the AWS SDK for --live) reach outside Node and the pipeline itself.
    files: ['pipeline/**/*.ts'],
    ignores: ['pipeline/synth.ts', 'pipeline/synth-worker.ts', 'pipeline/live/**', 'pipeline/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'cdktf',
                'cdktf/*',
                'constructs',
                '@cdktf/*',
                '@pulumi/*',
                '@aws-sdk/*',
                '**/constructs/*',
              ],
              message:
                'Only pipeline/synth.ts (and its worker) loads the constructs and cdktf; only pipeline/live/ the AWS SDK.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
