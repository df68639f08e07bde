import { resolve } from 'node:path';

/** The project root, from the TypeScript sources (pipeline/util) and from the build (dist/pipeline/util). */
export const PROJECT_ROOT = resolve(
  __dirname,
  ...(__dirname.includes(`${'/'}dist${'/'}`) ? ['..', '..', '..'] : ['..', '..']),
);

/** The built-in example plan (`npm start`, the cdktf app and the Pulumi program when no plan is named). */
export const DEFAULT_PLAN = resolve(PROJECT_ROOT, 'examples', 'frontier.yaml');
