/**
 * The `.kube-graceful.yaml` configuration file: parsed from text (the front ends find and
 * read it) and validated against the settings schema, with messages that name the file and the
 * key.
 */
import type { PartialSettings } from './settings';
import { validateSettings } from './options/validate';
import type { Span } from './types';
import { parsePlainDocument } from './yaml/plain';

export const CONFIG_FILE_NAME = '.kube-graceful.yaml';

export interface ConfigProblem {
  readonly message: string;
  readonly span: Span;
}

export interface ParsedConfig {
  readonly settings: PartialSettings;
  readonly problems: readonly ConfigProblem[];
}

export function parseConfig(text: string, fileName: string = CONFIG_FILE_NAME): ParsedConfig {
  const doc = parsePlainDocument(text);
  if (!doc.ok) return { settings: {}, problems: [{ message: `${fileName}: ${doc.message}`, span: doc.span }] };
  const v = validateSettings(doc.value, { kind: 'file', fileName });
  return { settings: v.layer, problems: v.problems.map((p) => ({ message: p.message, span: p.span ?? { start: 0, end: 0 } })) };
}
