/**
 * Manifests with a cloud load balancer in front of the pods, in the shapes of the vendors' own
 * examples: the AWS Load Balancer Controller's 2048 game (ALB) and NLB guide, GKE's
 * container-native load balancing with a BackendConfig, and AGIC's guide to minimising downtime.
 */
import { yaml } from './helpers';

/** Indents every line after the first by `n` spaces (for interpolating blocks). */
function indent(text: string, n: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(n)}`);
}

/**
 * A Deployment with one container (its keys sorted, as the controller's examples are);
 * `extra` goes at the end of the container, `sorted` in the sorted place of `lifecycle` (where
 * a fix inserts it), `grace` into the pod spec.
 */
export function deployment(opts: { name?: string; ns?: string; label?: string; extra?: string; sorted?: string; grace?: number; image?: string; port?: number } = {}): string {
  const label = opts.label ?? 'app-2048';
  const grace = opts.grace !== undefined ? `\n      terminationGracePeriodSeconds: ${opts.grace}` : '';
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      namespace: ${opts.ns ?? 'game-2048'}
      name: ${opts.name ?? 'deployment-2048'}
    spec:
      selector:
        matchLabels:
          app.kubernetes.io/name: ${label}
      replicas: 5
      template:
        metadata:
          labels:
            app.kubernetes.io/name: ${label}
        spec:${grace}
          containers:
          - image: ${opts.image ?? 'public.ecr.aws/l6m2t8p7/docker-2048:latest'}
            imagePullPolicy: Always${opts.sorted !== undefined ? `\n        ${indent(opts.sorted, 8)}` : ''}
            name: app-2048
            ports:
            - containerPort: ${opts.port ?? 80}${opts.extra !== undefined ? `\n        ${indent(opts.extra, 8)}` : ''}
  `;
}

/** The 2048 example's Service; `annotations` are lines under metadata.annotations. */
export function service(opts: { annotations?: string; type?: string; ns?: string; targetPort?: number } = {}): string {
  const ann = opts.annotations !== undefined ? `\n  annotations:\n    ${indent(opts.annotations, 4)}` : '';
  return yaml`
    apiVersion: v1
    kind: Service
    metadata:
      namespace: ${opts.ns ?? 'game-2048'}
      name: service-2048${ann}
    spec:
      ports:
        - port: 80
          targetPort: ${opts.targetPort ?? 80}
          protocol: TCP
      type: ${opts.type ?? 'NodePort'}
      selector:
        app.kubernetes.io/name: app-2048
  `;
}

/** The 2048 example's Ingress; `annotations` are lines under metadata.annotations; className '' leaves out spec.ingressClassName. */
export function ingress(opts: { annotations?: string; className?: string; ns?: string } = {}): string {
  const ann = `\n  annotations:\n    ${indent(opts.annotations ?? 'alb.ingress.kubernetes.io/scheme: internet-facing\nalb.ingress.kubernetes.io/target-type: ip', 4)}`;
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      namespace: ${opts.ns ?? 'game-2048'}
      name: ingress-2048${ann}
    spec:${opts.className === '' ? '' : `\n  ingressClassName: ${opts.className ?? 'alb'}`}
      rules:
        - http:
            paths:
            - path: /
              pathType: Prefix
              backend:
                service:
                  name: service-2048
                  port:
                    number: 80
  `;
}

/** The NLB guide's annotations (AWS Load Balancer Controller, IP targets), plus `more` lines. */
export function nlbAnnotations(more = ''): string {
  return (
    'service.beta.kubernetes.io/aws-load-balancer-type: external\n' +
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip\n' +
    'service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing' +
    (more ? `\n${more}` : '')
  );
}

/** GKE's container-native load balancing: NEGs for Ingress, and a BackendConfig by name. */
export const NEG_ANNOTATIONS = `cloud.google.com/neg: '{"ingress": true}'\ncloud.google.com/backend-config: '{"default": "my-backendconfig"}'`;

export function backendConfig(drainingTimeoutSec: number, ns = 'game-2048'): string {
  return yaml`
    apiVersion: cloud.google.com/v1
    kind: BackendConfig
    metadata:
      namespace: ${ns}
      name: my-backendconfig
    spec:
      connectionDraining:
        drainingTimeoutSec: ${drainingTimeoutSec}
  `;
}

/** AGIC's Ingress annotations (class by annotation, as in AGIC's guide), plus `more` lines. */
export function agicAnnotations(more = ''): string {
  return 'kubernetes.io/ingress.class: azure/application-gateway' + (more ? `\n${more}` : '');
}

/** A file of several documents. */
export function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/\n$/, '')).join('\n---\n') + '\n';
}

/** A native preStop sleep, as container lines. */
export function sleepHook(seconds: number): string {
  return `lifecycle:\n  preStop:\n    sleep: {seconds: ${seconds}}`;
}
