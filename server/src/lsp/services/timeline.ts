/**
 * The termination timeline as a picture: the core's SVG (render/timeline-svg.ts) for the hover
 * (as a data URI) and for the `kubeGraceful/terminationTimeline` request, which the editor's
 * "Show termination timeline" command shows large for the workload under the cursor.
 */
import {
  inClusterRouter,
  podTimeline,
  servingContainers,
  timelineSvg,
  timelineTitle,
  type ContainerView,
  type PodTimeline,
  type PodView,
  type RouterMark,
  type ServingReason,
  type Settings,
} from '../../core';
import { RequestType } from 'vscode-languageserver';
import type { DocumentAnalysis } from './analyzer';

/** Request: the timeline picture of the workload at a position. */
export const TIMELINE_REQUEST = 'kubeGraceful/terminationTimeline';

export interface TimelineParams {
  readonly textDocument: { readonly uri: string };
  readonly position: { readonly line: number; readonly character: number };
}

export interface TimelineResult {
  /** "Deployment api: termination timeline, grace period 45 s". */
  readonly title: string;
  /** A standalone SVG document, ASCII only. */
  readonly svg: string;
}

export const TimelineRequest = new RequestType<TimelineParams, TimelineResult | null, void>(TIMELINE_REQUEST);

export function isTimelineParams(x: unknown): x is TimelineParams {
  if (x === null || typeof x !== 'object') return false;
  const o = x as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } };
  return typeof o.textDocument?.uri === 'string' && typeof o.position?.line === 'number' && typeof o.position.character === 'number';
}

/** The routers in front of the pod: the in-cluster path, unless its check is turned off. */
export function routersFor(settings: Settings): RouterMark[] {
  return settings.minPropagationSeconds > 0 ? [inClusterRouter(settings.minPropagationSeconds)] : [];
}

export function svgOf(tl: PodTimeline, settings: Settings): string {
  return timelineSvg(tl, { shutdownSeconds: settings.shutdownSeconds, routers: routersFor(settings) });
}

/** Width of the picture in the hover: a little under its own, to fit the hover's height with the table's title. */
const HOVER_WIDTH = 560;

/**
 * A Markdown image of the timeline, for the hover. `|width=` after the URI is VS Code's way to
 * size an image in hover Markdown; only clients that asked for images get one.
 */
export function timelineImageMarkdown(tl: PodTimeline, settings: Settings): string {
  const data = base64Utf8(svgOf(tl, settings));
  const alt = timelineTitle(tl).replace(/[[\]\\\r\n]/g, ' ');
  return `![${alt}](data:image/svg+xml;base64,${data}|width=${HOVER_WIDTH})`;
}

/** The innermost workload whose object contains the offset. */
export function podAt(da: DocumentAnalysis, offset: number): PodView | undefined {
  let best: PodView | undefined;
  for (const pod of da.analysis.pods) {
    const s = pod.object.span;
    if (offset < s.start || offset > s.end) continue;
    if (!best || s.end - s.start < best.object.span.end - best.object.span.start) best = pod;
  }
  return best;
}

export function timelineAt(da: DocumentAnalysis, offset: number): TimelineResult | null {
  const pod = podAt(da, offset);
  if (!pod) return null;
  const serving: ReadonlyMap<ContainerView, ServingReason> = servingContainers(pod, da.analysis.serviceLookup);
  const tl = podTimeline(pod, serving, da.analysis.configMapLookup);
  return { title: timelineTitle(tl), svg: svgOf(tl, da.effective.settings) };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The UTF-8 bytes of `text` in base64 (no Buffer: the browser server runs this too). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64.charAt((n >> 18) & 63) + BASE64.charAt((n >> 12) & 63);
    out += b === undefined ? '=' : BASE64.charAt((n >> 6) & 63);
    out += c === undefined ? '=' : BASE64.charAt(n & 63);
  }
  return out;
}
