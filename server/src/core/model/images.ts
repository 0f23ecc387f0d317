/**
 * What is known about a container image from its reference alone: the one list of images
 * that ship neither `sleep` nor a shell ("minimal" images: distroless, scratch-based,
 * Chainguard), and the nginx builds that still stop on SIGTERM. Every entry is one we are
 * sure about; anything unknown counts as an ordinary image. Users extend the minimal list
 * with `settings.minimalImages` (globs where `*` matches any run of characters).
 *
 * Sources for the built-in minimal list:
 * - gcr.io/distroless/*: no shell, no coreutils, except the `:debug` variants (busybox).
 * - Chainguard (cgr.dev/chainguard/*): runtime images have no shell; `-dev` variants and
 *   the shell images (busybox, wolfi-base, chainguard-base, bash) do.
 * - CoreDNS images: FROM scratch, later distroless static (coredns/helm#43: an exec
 *   `sleep` preStop could never run).
 * - Kubernetes CSI sidecars (registry.k8s.io/sig-storage/csi-*, livenessprobe, and the
 *   older quay.io/k8scsi/*): built on distroless static (cert-manager/csi-driver#109,
 *   kubernetes-csi/csi-driver-host-path#175).
 * - The pause image: FROM scratch, one static binary.
 * - Images whose repository path has a `distroless…` segment or whose tag names a
 *   distroless build (envoyproxy/envoy:distroless-v1.39.0, `…-distroless`).
 * - Tags ending in `-static` and repositories named `static`: the naming used for images
 *   built on distroless static or scratch. (A repository merely *ending* in `-static` is
 *   not enough: nginx-static images serve static files and have a shell.)
 */
import type { Settings } from '../settings';

export interface ImageRef {
  /** Registry host, `docker.io` when omitted. */
  readonly registry: string;
  /** Repository path; Docker Hub official images get `library/`. */
  readonly repository: string;
  readonly tag: string | undefined;
  /** The last path segment of the repository. */
  readonly name: string;
}

/** Parses an image reference; undefined when it is not one (templates, placeholders with spaces). */
export function parseImageRef(image: string): ImageRef | undefined {
  const ref = image.trim().toLowerCase();
  if (ref === '' || /[\s{}$]/.test(ref)) return undefined;
  const at = ref.indexOf('@');
  const withoutDigest = at === -1 ? ref : ref.slice(0, at);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const path = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  if (path === '') return undefined;
  const parts = path.split('/');
  const first = parts[0] ?? '';
  let registry = 'docker.io';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  return { registry, repository, tag: tag === '' ? undefined : tag, name: parts[parts.length - 1] ?? '' };
}

/** `registry/repository` of a parsed reference. */
function fullName(r: ImageRef): string {
  return `${r.registry}/${r.repository}`;
}

interface BuiltinMinimal {
  /** What the entry is, for messages: "distroless", "a scratch-based image", ... */
  readonly what: string;
  readonly test: (r: ImageRef) => boolean;
}

const CHAINGUARD_WITH_SHELL = new Set(['busybox', 'wolfi-base', 'chainguard-base', 'bash', 'alpine-base', 'git', 'sdk']);

function debugTag(r: ImageRef): boolean {
  return r.tag !== undefined && /(^|[-_.])debug([-_.]|$)/.test(r.tag);
}

const BUILTIN_MINIMAL: readonly BuiltinMinimal[] = [
  { what: 'a distroless image', test: (r) => r.registry === 'gcr.io' && r.repository.startsWith('distroless/') && !debugTag(r) },
  {
    what: 'a Chainguard image without a shell',
    test: (r) =>
      r.registry === 'cgr.dev' &&
      r.repository.startsWith('chainguard/') &&
      !CHAINGUARD_WITH_SHELL.has(r.name) &&
      !(r.tag !== undefined && /(^|-)dev(-|$)/.test(r.tag)),
  },
  {
    what: 'the CoreDNS image (scratch / distroless based)',
    test: (r) =>
      ((r.registry === 'registry.k8s.io' || r.registry === 'k8s.gcr.io' || r.registry === 'docker.io') && r.repository === 'coredns/coredns') ||
      (r.registry === 'k8s.gcr.io' && r.repository === 'coredns'),
  },
  {
    what: 'a Kubernetes CSI sidecar image (distroless based)',
    test: (r) =>
      (((r.registry === 'registry.k8s.io' || r.registry === 'k8s.gcr.io') && r.repository.startsWith('sig-storage/')) ||
        (r.registry === 'quay.io' && r.repository.startsWith('k8scsi/'))) &&
      (r.name.startsWith('csi-') || r.name === 'livenessprobe'),
  },
  {
    what: 'the pause image (scratch based)',
    test: (r) =>
      ((r.registry === 'registry.k8s.io' || r.registry === 'k8s.gcr.io') && r.repository === 'pause') ||
      (r.registry === 'gcr.io' && /^google[-_]containers\/pause(-amd64|-arm64)?$/.test(r.repository)),
  },
  {
    what: 'a distroless image',
    test: (r) =>
      !debugTag(r) &&
      (r.repository.split('/').some((s) => s.startsWith('distroless')) ||
        (r.tag !== undefined && (r.tag.startsWith('distroless') || /-distroless(-|$)/.test(r.tag)))),
  },
  {
    what: 'a static (scratch / distroless static) image',
    test: (r) => !debugTag(r) && ((r.tag !== undefined && r.tag.endsWith('-static')) || (r.name === 'static' && r.repository.includes('/'))),
  },
];

function globToRegExp(glob: string): RegExp {
  const body = glob
    .trim()
    .toLowerCase()
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export interface MinimalImage {
  /** Why: "a distroless image", or `settings.minimalImages pattern "…"`. */
  readonly what: string;
}

/**
 * Whether the image is known to ship neither `sleep` nor a shell. User patterns are matched
 * against the reference as written (without digest) and against its normalized form
 * (`docker.io/library/nginx:1.27`), with and without the tag.
 */
export function minimalImage(image: string | undefined, settings: Pick<Settings, 'minimalImages'>): MinimalImage | undefined {
  if (image === undefined) return undefined;
  const r = parseImageRef(image);
  if (!r) return undefined;
  const written = image.trim().toLowerCase().replace(/@.*$/, '');
  const candidates = [written, fullName(r), r.tag !== undefined ? `${fullName(r)}:${r.tag}` : fullName(r)];
  if (r.registry === 'docker.io') {
    const short = r.repository.startsWith('library/') ? r.repository.slice('library/'.length) : r.repository;
    candidates.push(short, r.tag !== undefined ? `${short}:${r.tag}` : short);
  }
  for (const p of settings.minimalImages) {
    if (p.trim() === '') continue;
    const re = globToRegExp(p);
    if (candidates.some((c) => re.test(c))) return { what: `an image matching the minimalImages pattern "${p}"` };
  }
  for (const b of BUILTIN_MINIMAL) if (b.test(r)) return { what: b.what };
  return undefined;
}

/** An nginx build the rules know how it stops. */
export interface NginxImage {
  readonly ref: ImageRef;
  /** True when the image is known to stop nginx with SIGTERM (no `STOPSIGNAL SIGQUIT`). */
  readonly stopsWithSigterm: boolean;
  /** Why, for messages. */
  readonly why: string;
}

function versionOf(tag: string | undefined): readonly [number, number, number] | undefined {
  if (tag === undefined) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-_].*)?$/.exec(tag);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? Number.NaN : Number(m[3])];
}

/**
 * nginx images and their stop signal. Container runtimes (containerd, CRI-O) send the image's
 * STOPSIGNAL instead of SIGTERM. The official image (and nginxinc/nginx-unprivileged, built
 * from the same Dockerfiles) sets `STOPSIGNAL SIGQUIT` since November 2020
 * (nginx/docker-nginx#377, commit 3fb70dd, the day 1.19.5 came out; 1.19.4 may have been
 * rebuilt with it, so only 1.19.0 – 1.19.3 count as old); the 1.18 stable tag was rebuilt
 * with it. bitnami/nginx added it in April 2025 (bitnami/containers#75942),
 * so only releases that were no longer built by then (1.25 and older) certainly stop with
 * SIGTERM. Anything else (mirrors, custom builds FROM nginx, OpenResty, Chainguard) is
 * reported as "unknown": undefined.
 */
export function nginxImage(image: string | undefined): NginxImage | undefined {
  if (image === undefined) return undefined;
  const r = parseImageRef(image);
  if (!r) return undefined;
  if (r.repository.includes('ingress')) return undefined;
  const official = r.registry === 'docker.io' && (r.repository === 'library/nginx' || r.repository === 'nginxinc/nginx-unprivileged');
  if (official) {
    const v = versionOf(r.tag);
    if (!v) return { ref: r, stopsWithSigterm: false, why: 'the official image sets STOPSIGNAL SIGQUIT' };
    const [major, minor, patch] = v;
    const old = major < 1 || (major === 1 && (minor < 18 || (minor === 19 && !Number.isNaN(patch) && patch < 4)));
    return old
      ? { ref: r, stopsWithSigterm: true, why: `the official nginx image got STOPSIGNAL SIGQUIT only with 1.19.5 (November 2020); ${r.tag ?? ''} predates it` }
      : { ref: r, stopsWithSigterm: false, why: 'the official image sets STOPSIGNAL SIGQUIT' };
  }
  if (r.registry === 'docker.io' && r.repository === 'bitnami/nginx') {
    const v = versionOf(r.tag);
    if (v && (v[0] < 1 || (v[0] === 1 && v[1] <= 25))) {
      return { ref: r, stopsWithSigterm: true, why: `bitnami/nginx got STOPSIGNAL SIGQUIT only in 2025; ${r.tag ?? ''} was built without it` };
    }
    return undefined;
  }
  return undefined;
}

/**
 * Docker Hub official images known to ship a shell and `sleep` (Debian, Ubuntu or Alpine
 * based), for the fixes that insert an exec sleep before Kubernetes 1.30. Anything else is
 * unknown, and such a fix says that it needs `sleep` in the image.
 */
const OFFICIAL_WITH_SHELL = new Set([
  'alpine', 'busybox', 'debian', 'ubuntu', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux',
  'nginx', 'httpd', 'haproxy', 'traefik', 'caddy', 'tomcat', 'redis', 'memcached', 'mysql', 'mariadb', 'postgres',
  'mongo', 'rabbitmq', 'cassandra', 'elasticsearch', 'zookeeper', 'python', 'node', 'golang', 'ruby', 'php',
  'perl', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'wordpress', 'drupal', 'ghost', 'nextcloud', 'registry',
]);

export function imageWithShell(image: string | undefined, settings: Pick<Settings, 'minimalImages'>): boolean {
  if (image === undefined || minimalImage(image, settings)) return false;
  const r = parseImageRef(image);
  return r !== undefined && r.registry === 'docker.io' && r.repository === `library/${r.name}` && OFFICIAL_WITH_SHELL.has(r.name);
}
