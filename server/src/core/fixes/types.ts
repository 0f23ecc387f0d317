/**
 * What a fix builder gets and gives. Builders turn a model-level intention ("add a preStop
 * sleep to this container", "set the grace period to N") into text edits, locating what they
 * edit through the views' edit targets, which only `chunk` resolves.
 */
import type { ConfigMapLookup } from '../model/configmaps';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import type { Style } from '../yaml/edit';
import type { EditableChunk, EditTarget } from '../yaml/targets';

export interface FixEnv {
  /** The text of the document (chunk) the fix edits; edits are offsets into it. */
  readonly text: string;
  readonly style: Style;
  readonly settings: Settings;
  /** The chunk, parsed, for resolving edit targets. */
  readonly chunk: EditableChunk;
  /** The ConfigMaps in view, for app timeouts that live in them. */
  readonly configMaps?: ConfigMapLookup;
}

/** A fix as built, with the places it means to change: everything else must keep its value. */
export interface BuiltFix extends Fix {
  readonly touches: readonly EditTarget[];
}

export type FixBuilder = (env: FixEnv) => BuiltFix | undefined;
