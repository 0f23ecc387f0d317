/** The public surface of the analysis core. Front ends import from here only. */
export { analyzeText, analyzePrepared, documentTexts, hasWorkloads, prepareText, fixAll, ParseCache, readChartValues } from './analyze';
export type { Analysis, AnalyzeOptions, ChartValues, FixAllResult, PreparedFile } from './analyze';
export { parseConfig, CONFIG_FILE_NAME } from './config';
export type { ConfigProblem, ParsedConfig } from './config';
export { parseDirectives, DIRECTIVE_PREFIX, IGNORE_ANNOTATION_PREFIX } from './directives';
export type { Directive, DirectiveKind } from './directives';
export { RULES, RULES_BY_ID } from './rules';
export { docsUrl } from './rules/types';
export type { Rule, RuleMeta } from './rules/types';
export { DEFAULT_SETTINGS, mergeSettings, parseKubernetesVersion, versionAtLeast } from './settings';
export type { PartialSettings, Settings } from './settings';
// The settings schema and what is derived from it (validators, manifest, JSON Schema).
export { EDITOR_SECTION, fileSettings, ruleOptions, SETTINGS_SCHEMA } from './settings/schema';
export type { SettingPlace, SettingSpec, SettingType } from './settings/schema';
export { expectedText, plainFromJson, validateSettings } from './options/validate';
export type { SettingsOrigin, SettingsProblem, ValidatedSettings } from './options/validate';
export { configJsonSchema, CONFIG_SCHEMA_PATH, editorConfiguration, fullDescription, typeText, yamlValidation } from './options/generate';
export type { JsonValue } from './options/generate';
export type { Plain } from './yaml/plain';
export type { ContainerView, ObjectInfo, PodView, PreStopView, ServiceInfo } from './model/workloads';
export { applyEdits, LineIndex } from './yaml/text';
export { helperIncludes } from './yaml/helm';
export type { FileResult, Finding, Fix, Notice, NoticeKind, RelatedLocation, Severity, SeveritySetting, Span, TextEdit } from './types';
// Used by the language server (suppression actions, hover timeline).
export { ignoreAnnotationEdit } from './fixes/annotations';
export { describeReason, ServiceIndex, servingContainers } from './model/serving';
export { RouteIndex } from './model/routes';
export type { RouteInfo } from './model/routes';
export { ConfigMapIndex } from './model/configmaps';
export type { ConfigMapInfo, ConfigMapLookup } from './model/configmaps';
export type { ServingReason } from './model/serving';
export { containerLabel, formatSeconds } from './model/timing';
export type { HookDuration } from './model/hooks';
export type { GraceView } from './model/workloads';
// Refactorings offered at a position (converting hook forms, setting up graceful shutdown).
export { refactoringsAt } from './refactor';
export type { Refactoring } from './refactor';
// The termination timeline and the Kubernetes feature table (hover, `explain`).
export { lanesOf, longestTimedLane, MIN_SIGTERM_SECONDS, podTimeline } from './model/timeline';
export type { Extension, GraceState, HookTiming, Lane, PodTimeline, Seconds } from './model/timeline';
export { describeStages, featureOnByDefault, featureStage, FEATURES, onByDefaultSince, versionText } from './features';
export type { Feature, FeatureId, FeatureStage } from './features';
// The termination timeline as a picture (hover, the timeline command).
export { escapeXml, timelineSvg, timelineTitle } from './render/timeline-svg';
export type { TimelinePictureOptions } from './render/timeline-svg';
export { inClusterRouter, laneDrain } from './render/drain';
export type { Drain, RouterMark } from './render/drain';
