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
  /**
   * Another document of the same file, by a file offset inside it (what sits in front of the
   * pod: an Ingress, a Service, a BackendConfig); undefined when the offset is in no document
   * that can be edited (a template, a document that did not parse).
   */
  readonly documentAt?: (offset: number) => OtherDocument | undefined;
}

/** A document of the file opened for edits: its start in the file, and its chunk. */
export interface OtherDocument {
  readonly start: number;
  readonly chunk: EditableChunk;
}

/** A fix as built, with the places it means to change: everything else must keep its value. */
export interface BuiltFix extends Fix {
  readonly touches: readonly EditTarget[];
  /**
   * The file offset of the document the edits (and touches) are relative to, when the fix
   * edits a document of the file other than its finding's own (`documentAt`). The one check
   * then judges the whole file again: what sits in front of a pod changes its findings.
   */
  readonly inDocument?: number;
}

/** Why a rule's fix is not offered for one finding (said to the user as the fix's reason). */
export interface NoFix {
  readonly reason: string;
}

export type FixBuilder = (env: FixEnv) => BuiltFix | NoFix | undefined;

export function isNoFix(x: BuiltFix | NoFix | undefined): x is NoFix {
  return x !== undefined && 'reason' in x && !('edits' in x);
}
