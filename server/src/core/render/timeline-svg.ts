/**
 * The termination timeline as a picture: an SVG drawn from the core's timeline model
 * (model/timeline.ts), a pure function of values. One row per router in front of the pod (when
 * it stops sending new requests), then one lane per container: its preStop hook, SIGTERM, the
 * app's drain (its own timeout where the manifest says it, else the `shutdownSeconds` setting)
 * and SIGKILL, with the part of the drain that SIGKILL cuts off; marks for the deletion (endpoint
 * removal starts) and the end of the grace period. Every text is escaped and the output is
 * ASCII, so it can go into a data URI as is.
 */
import type { Lane, PodTimeline } from '../model/timeline';
import { lanesOf } from '../model/timeline';
import { laneDrain, type Drain, type RouterMark } from './drain';

export interface TimelinePictureOptions {
  /** The app's time after SIGTERM where no app timeout is read (the `shutdownSeconds` setting). */
  readonly shutdownSeconds: number;
  /** Routers in front of the pod; at least the in-cluster path (drain.ts: inClusterRouter). */
  readonly routers: readonly RouterMark[];
}

const W = 640;
const X0 = 136;
const X1 = W - 20;
const TOP = 54;
const ROUTER_H = 20;
const CHAR_W = 6.5;
const COLORS = {
  text: '#1f2328',
  muted: '#59636e',
  grid: '#d0d7de',
  router: '#8250df',
  hook: '#0969da',
  drain: '#1a7f37',
  cut: '#cf222e',
  sigterm: '#bc4c00',
  sigkill: '#cf222e',
} as const;

/** XML text and attribute values: markup characters, and everything outside printable ASCII as a character reference. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0xfffd;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&#39;';
    else if (cp < 0x20 || cp === 0x7f) out += ' ';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '&#xfffd;';
    else if (cp > 0x7e) out += `&#x${cp.toString(16)};`;
    else out += ch;
  }
  return out;
}

function sec(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} s`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}

function textWidth(text: string, size = 11, bold = false): number {
  return text.length * CHAR_W * (size / 11) * (bold ? 1.12 : 1);
}

/** Round numbers for the axis: 1, 2, 5, 10, 15, 30, 60, 120, ... seconds between ticks, about 6 of them. */
function tickStep(span: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]) if (span / step <= 8) return step;
  return Math.ceil(span / 8 / 3600) * 3600;
}

interface Scale {
  readonly tMax: number;
  x(t: number): number;
}

function drainEnd(lane: Lane, d: Drain): number | undefined {
  if (!lane.sigterm || d.seconds === 'unbounded') return undefined;
  return lane.sigterm.seconds + d.seconds;
}

function scaleFor(t: PodTimeline, drains: readonly Drain[], routers: readonly RouterMark[]): Scale {
  let tMax = Math.max(t.end, t.grace, 1);
  for (const r of routers) tMax = Math.max(tMax, r.seconds);
  lanesOf(t).forEach((lane, i) => {
    const d = drains[i];
    const end = d ? drainEnd(lane, d) : undefined;
    if (end !== undefined) tMax = Math.max(tMax, end);
  });
  tMax *= 1.06;
  return { tMax, x: (s) => X0 + (Math.min(Math.max(s, 0), tMax) / tMax) * (X1 - X0) };
}

interface Label {
  readonly x: number;
  readonly text: string;
  readonly color: string;
  readonly bold?: boolean;
}

/**
 * Places labels left to right on as few lines as needed: each goes on the first line where it
 * fits at its mark or shifted right after the label before it; a line is added when none has room.
 */
function placeLabels(labels: readonly Label[]): { readonly lines: number; place(y0: number, step: number): string[] } {
  const ends: number[] = [];
  const placed: { readonly l: Label; readonly x: number; readonly line: number }[] = [];
  for (const l of [...labels].sort((a, b) => a.x - b.x)) {
    const w = textWidth(l.text, 11, l.bold === true);
    let line = ends.findIndex((e) => Math.max(l.x, e + 8) + w <= W - 6);
    let x: number;
    if (line === -1) {
      line = ends.length;
      x = Math.max(Math.min(l.x, W - 6 - w), 4);
    } else {
      x = Math.max(l.x, (ends[line] ?? 0) + 8);
    }
    ends[line] = x + w;
    placed.push({ l, x, line });
  }
  return {
    lines: ends.length,
    place: (y0, step) =>
      placed.map(({ l, x, line }) => {
        const weight = l.bold ? ' font-weight="bold"' : '';
        return `<text x="${x.toFixed(1)}" y="${y0 + line * step}" fill="${l.color}"${weight}>${escapeXml(l.text)}</text>`;
      }),
  };
}

function rect(x: number, y: number, w: number, h: number, attrs: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 0).toFixed(1)}" height="${h}" ${attrs}/>`;
}

function vline(x: number, y1: number, y2: number, color: string, attrs = ''): string {
  return `<line x1="${x.toFixed(1)}" y1="${y1}" x2="${x.toFixed(1)}" y2="${y2}" stroke="${color}"${attrs ? ` ${attrs}` : ''}/>`;
}

function routerRow(r: RouterMark, y: number, sc: Scale): string[] {
  const x = sc.x(r.seconds);
  const label = `${clip(r.label, 40)}: new requests for ${sec(r.seconds)} (${r.source})`;
  return [
    '<g class="router">',
    `<text x="12" y="${y + 13}" fill="${COLORS.text}">routing</text>`,
    rect(X0, y + 3, x - X0, 12, `fill="${COLORS.router}" fill-opacity="0.25" stroke="${COLORS.router}"`),
    `<text x="${Math.min(x + 6, W - 6 - textWidth(label)).toFixed(1)}" y="${y + 13}" fill="${COLORS.router}">${escapeXml(label)}</text>`,
    '</g>',
  ];
}

/** The hook's bar and label. */
function hookParts(t: PodTimeline, lane: Lane, y: number, sc: Scale): { shapes: string[]; labels: Label[] } {
  const h = lane.hook;
  const shapes: string[] = [];
  const labels: Label[] = [];
  const form = 'form' in h ? (h.form === 'sleep' ? 'sleep action' : h.form) : '';
  if (h.kind === 'timed') {
    const end = Math.min(h.seconds, t.grace);
    shapes.push(rect(X0, y, sc.x(end) - X0, 14, `fill="${COLORS.hook}" fill-opacity="0.35" stroke="${COLORS.hook}"`));
    if (!h.exact) shapes.push(rect(sc.x(end), y, sc.x(t.grace) - sc.x(end), 14, `fill="none" stroke="${COLORS.hook}" stroke-dasharray="3 3"`));
    const len = h.exact ? sec(h.seconds) : `\u2265 ${sec(h.seconds)}`;
    labels.push({ x: X0 + 2, text: `preStop ${form} ${len}${h.cutShort ? ', cut short' : ''}`, color: COLORS.hook });
  } else if (h.kind === 'unknown') {
    shapes.push(rect(X0, y, sc.x(t.grace) - X0, 14, `fill="none" stroke="${COLORS.hook}" stroke-dasharray="3 3"`));
    labels.push({ x: X0, text: `preStop ${form}: duration unknown, SIGTERM when it returns`, color: COLORS.hook });
  } else if (h.kind === 'skipped') {
    labels.push({ x: X0, text: `preStop ${form} not run (grace period 0)`, color: COLORS.muted });
  } else if (h.kind === 'ignored') {
    labels.push({ x: X0, text: `preStop ${form}: no delay`, color: COLORS.muted });
  } else if (lane.role === 'main') {
    labels.push({ x: X0, text: 'no preStop hook', color: COLORS.muted });
  }
  return { shapes, labels };
}

/** The drain after SIGTERM: green until SIGKILL, red past it; an unbounded drain runs off the edge. */
function drainParts(lane: Lane, d: Drain, y: number, sc: Scale): { shapes: string[]; labels: Label[] } {
  const shapes: string[] = [];
  const labels: Label[] = [];
  if (!lane.sigterm) return { shapes, labels };
  const start = lane.sigterm.seconds;
  const end = d.seconds === 'unbounded' ? sc.tMax : start + d.seconds;
  const kept = Math.min(end, lane.sigkill);
  if (kept > start) shapes.push(rect(sc.x(start), y, sc.x(kept) - sc.x(start), 14, `fill="${COLORS.drain}" fill-opacity="0.35" stroke="${COLORS.drain}"`));
  if (end > lane.sigkill) {
    const from = Math.max(lane.sigkill, start);
    shapes.push(rect(sc.x(from), y, sc.x(end) - sc.x(from), 14, `fill="url(#cut)" stroke="${COLORS.cut}"`));
  }
  const color = d.from === 'setting' ? COLORS.muted : COLORS.drain;
  const cut = end > lane.sigkill ? ', cut off by SIGKILL' : '';
  labels.push({ x: sc.x(start) + 2, text: `drain: ${d.label}${cut}`, color: cut ? COLORS.cut : color });
  return { shapes, labels };
}

function laneTitle(lane: Lane): { name: string; sub: string } {
  const c = lane.container;
  const name = clip(c.name ?? `#${c.index + 1}`, 20);
  if (lane.role === 'sidecar') return { name, sub: `native sidecar${lane.turn !== undefined ? `, stops #${lane.turn}` : ''}` };
  return { name, sub: lane.serving ? 'serves traffic' : 'container' };
}

/** Marks above the bar (SIGTERM, SIGKILL), with their ticks. */
function eventLabels(t: PodTimeline, lane: Lane, sc: Scale): Label[] {
  const labels: Label[] = [];
  if (lane.sigterm) {
    const when = lane.sigterm.exact ? sec(lane.sigterm.seconds) : `\u2265 ${sec(lane.sigterm.seconds)}`;
    labels.push({ x: sc.x(lane.sigterm.seconds) - 1, text: `SIGTERM ${when}`, color: COLORS.sigterm, bold: true });
  }
  const past = lane.sigkill > t.grace ? ' (2 s floor)' : lane.extension === 'possible' ? ' (+2 s at most)' : '';
  labels.push({ x: sc.x(lane.sigkill) - 1, text: `SIGKILL ${sec(lane.sigkill)}${past}`, color: COLORS.sigkill, bold: true });
  return labels;
}

/** One container's lane: events above the bar, the hook and drain below it. Returns its parts and height. */
function laneRow(t: PodTimeline, lane: Lane, d: Drain, y: number, sc: Scale): { parts: string[]; height: number } {
  const title = laneTitle(lane);
  const events = placeLabels(eventLabels(t, lane, sc));
  const barY = y + events.lines * 12 + 4;
  const hook = hookParts(t, lane, barY, sc);
  const drain = drainParts(lane, d, barY, sc);
  const texts = placeLabels([...hook.labels, ...drain.labels]);
  const parts = [
    `<g class="lane" data-role="${lane.role}">`,
    `<text x="12" y="${y + 12}" fill="${COLORS.text}" font-weight="bold">${escapeXml(title.name)}</text>`,
    `<text x="12" y="${y + 25}" fill="${COLORS.muted}" font-size="10">${escapeXml(title.sub)}</text>`,
    ...hook.shapes,
    ...drain.shapes,
  ];
  if (lane.sigterm) parts.push(vline(sc.x(lane.sigterm.seconds), y + 2, barY + 14, COLORS.sigterm, 'stroke-width="2"'));
  parts.push(vline(sc.x(lane.sigkill), y + 2, barY + 14, COLORS.sigkill, 'stroke-width="3"'));
  parts.push(...events.place(y + 10, 12), ...texts.place(barY + 26, 13), '</g>');
  return { parts, height: barY + 14 + texts.lines * 13 + 8 - y };
}

function axis(y: number, sc: Scale): string[] {
  const out = [`<line x1="${X0}" y1="${y}" x2="${X1}" y2="${y}" stroke="${COLORS.muted}"/>`];
  const step = tickStep(sc.tMax);
  for (let s = 0; s <= sc.tMax; s += step) {
    const x = sc.x(s);
    out.push(vline(x, y, y + 4, COLORS.muted), `<text x="${x.toFixed(1)}" y="${y + 16}" fill="${COLORS.muted}" font-size="10" text-anchor="middle">${sec(s)}</text>`);
  }
  return out;
}

function legend(y: number): string[] {
  const items: [string, string][] = [
    [COLORS.router, 'still routed'],
    [COLORS.hook, 'preStop hook'],
    [COLORS.drain, 'app drain'],
    [COLORS.cut, 'cut off by SIGKILL'],
  ];
  const out: string[] = [];
  let x = X0;
  for (const [color, text] of items) {
    out.push(rect(x, y - 9, 10, 10, `fill="${color}" fill-opacity="0.35" stroke="${color}"`), `<text x="${x + 14}" y="${y}" fill="${COLORS.muted}" font-size="10">${text}</text>`);
    x += 24 + textWidth(text, 10);
  }
  return out;
}

/** "grace period 30 s" above its line: to the left of it where it fits, else to the right. */
function graceLabel(x: number, grace: number): string {
  const text = `grace period ${sec(grace)}`;
  const left = x - 4 - textWidth(text, 10) >= X0;
  const anchor = left ? `x="${(x - 4).toFixed(1)}" text-anchor="end"` : `x="${(x + 4).toFixed(1)}"`;
  return `<text ${anchor} y="${TOP - 8}" fill="${COLORS.text}" font-size="10">${text}</text>`;
}

/** The title line: kind, name and grace period. */
export function timelineTitle(t: PodTimeline): string {
  const grace = t.graceState === 'default' ? `${sec(t.grace)} (default)` : t.graceState === 'zero' ? '0 s: hooks do not run' : sec(t.grace);
  return `${t.kind} ${t.name ?? '(unnamed)'}: termination timeline, grace period ${grace}`;
}

/** The pod's termination timeline as a standalone SVG document (ASCII only). */
export function timelineSvg(t: PodTimeline, options: TimelinePictureOptions): string {
  const lanes = lanesOf(t);
  const drains = lanes.map((l) => laneDrain(l, options.shutdownSeconds));
  const sc = scaleFor(t, drains, options.routers);
  const body: string[] = [];
  let y = TOP;
  for (const r of options.routers) {
    body.push(...routerRow(r, y, sc));
    y += ROUTER_H;
  }
  y += 4;
  lanes.forEach((lane, i) => {
    const d = drains[i];
    if (!d) return;
    const row = laneRow(t, lane, d, y, sc);
    body.push(...row.parts);
    y += row.height;
  });
  const bottom = y - 4;
  const marks = [
    vline(sc.x(0), TOP - 6, bottom, COLORS.muted),
    `<text x="${X0}" y="${TOP - 20}" fill="${COLORS.muted}" font-size="10">deleted: endpoint removal starts</text>`,
    vline(sc.x(t.grace), TOP - 6, bottom, COLORS.text, 'stroke-dasharray="4 3"'),
    graceLabel(sc.x(t.grace), t.grace),
  ];
  const height = bottom + 40;
  const title = timelineTitle(t);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><pattern id="cut" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${COLORS.cut}" fill-opacity="0.15"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLORS.cut}" stroke-width="2"/></pattern></defs>`,
    `<rect width="${W}" height="${height}" rx="6" fill="#ffffff" stroke="${COLORS.grid}"/>`,
    `<text x="12" y="20" fill="${COLORS.text}" font-size="13" font-weight="bold">${escapeXml(clip(title, 90))}</text>`,
    ...marks,
    ...body,
    ...axis(bottom, sc),
    ...legend(bottom + 32),
    '</svg>',
  ].join('\n');
}
