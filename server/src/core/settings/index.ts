/** The analysis settings and their schema. The validators and generators over the schema are in
 * `validate.ts` and `generate.ts` (they read the rule registry, which imports this folder). */
export * from './settings';
export * from './schema';
