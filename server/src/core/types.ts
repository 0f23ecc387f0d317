/**
 * Shared value types of the analysis core. Offsets are UTF-16 code-unit offsets into the
 * analysed text (JavaScript string indices), so an LSP position is `offset - lineStart`.
 */

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A half-open range of offsets into the analysed text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Replace `text.slice(start, end)` with `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** Non-overlapping edits against the analysed text. */
  readonly edits: readonly TextEdit[];
  /** Edits of other files (a chart's values.yaml), by the path or URI the caller gave for them. */
  readonly files?: readonly { readonly filePath: string; readonly edits: readonly TextEdit[] }[];
}

export interface RelatedLocation {
  readonly message: string;
  readonly span: Span;
  /** Absent: the analysed file itself. */
  readonly filePath?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedLocation[];
  /** Stable identity of what the finding is about (object, container), used to match findings across edits. */
  readonly subject: string;
  /** Span of the object (workload) the finding belongs to. */
  readonly objectSpan: Span;
  readonly fix?: Fix;
}

export type NoticeKind =
  | 'syntax-error'
  | 'template'
  | 'too-large'
  | 'too-deep'
  | 'internal-error'
  | 'config'
  /** Part of a kustomize build that was not read (a remote resource, a plugin). */
  | 'kustomize';

/** Something the user should know that is not a rule finding: syntax errors, skipped input. */
export interface Notice {
  readonly kind: NoticeKind;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
}

export interface FileResult {
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
}
