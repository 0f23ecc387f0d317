/** The analysis settings and their schema. The validators and generators over the schema are in
 * `../options` (they read the rule registry, which imports this folder). */
export * from './settings';
export * from './schema';
