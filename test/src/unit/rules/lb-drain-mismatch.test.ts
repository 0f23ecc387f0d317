import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agicAnnotations, backendConfig, deployment, docs, ingress, NEG_ANNOTATIONS, nlbAnnotations, service, sleepHook } from '../lb-fixtures';
import { DEFAULT_SETTINGS, fixAll } from '../../../../server/out/core';
import { findingsOf, lint, ruleTests } from '../helpers';

/** gunicorn with an explicit --graceful-timeout, behind a 15 s sleep and a grace period that covers both. */
const GUNICORN_30 = `args: ["gunicorn", "--graceful-timeout", "30", "app:app"]\n${sleepHook(15)}`;
const gunicorn = (extra = GUNICORN_30): string => deployment({ extra, grace: 60, image: 'example/web:1' });
const albAttrs = (attrs: string): string =>
  `alb.ingress.kubernetes.io/scheme: internet-facing\nalb.ingress.kubernetes.io/target-type: ip\nalb.ingress.kubernetes.io/target-group-attributes: ${attrs}`;

ruleTests('lb-drain-mismatch', {
  fire: [
    {
      name: 'an ALB in IP mode with a 10 s deregistration delay, gunicorn --graceful-timeout 30: on the timeout; the fix raises the delay to hook + timeout',
      yaml: docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') })),
      lines: [23],
      severity: 'warning',
      fixed: docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=45') })),
    },
    {
      name: 'the delay inside a quoted attribute list, before the pod: only the number changes, the other attributes and comments are kept',
      yaml: docs(
        ingress({ annotations: albAttrs('"stickiness.enabled=true, deregistration_delay.timeout_seconds=10 ,load_balancing.algorithm.type=least_outstanding_requests" # tuned') }),
        service(),
        gunicorn(),
      ),
      fixed: docs(
        ingress({ annotations: albAttrs('"stickiness.enabled=true, deregistration_delay.timeout_seconds=45 ,load_balancing.algorithm.type=least_outstanding_requests" # tuned') }),
        service(),
        gunicorn(),
      ),
    },
    {
      name: 'an NLB in IP mode that terminates connections at the end of a 20 s delay; the fix keeps connection termination',
      yaml: docs(
        gunicorn(),
        service({ type: 'LoadBalancer', annotations: nlbAnnotations('service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=20,deregistration_delay.connection_termination.enabled=true') }),
      ),
      lines: [23],
      fixed: docs(
        gunicorn(),
        service({ type: 'LoadBalancer', annotations: nlbAnnotations('service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=45,deregistration_delay.connection_termination.enabled=true') }),
      ),
    },
    {
      name: "GKE: the BackendConfig in the same file; the fix raises its drainingTimeoutSec",
      yaml: docs(gunicorn(), service({ annotations: NEG_ANNOTATIONS }), backendConfig(10)),
      fixed: docs(gunicorn(), service({ annotations: NEG_ANNOTATIONS }), backendConfig(45)),
    },
    {
      name: 'AGIC: the fix raises the quoted connection-draining-timeout',
      yaml: docs(gunicorn(), service(), ingress({ className: '', annotations: agicAnnotations('appgw.ingress.kubernetes.io/connection-draining: "true"\nappgw.ingress.kubernetes.io/connection-draining-timeout: "10"') })),
      fixed: docs(gunicorn(), service(), ingress({ className: '', annotations: agicAnnotations('appgw.ingress.kubernetes.io/connection-draining: "true"\nappgw.ingress.kubernetes.io/connection-draining-timeout: "45"') })),
    },
    {
      name: "gunicorn's default timeout (30 s) is info, on the container",
      yaml: docs(deployment({ extra: `args: ["gunicorn", "app:app"]\n${sleepHook(15)}`, grace: 60 }), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') })),
      lines: [20],
      severity: 'info',
    },
    {
      name: 'GKE: the BackendConfig named by the Service drains for 10 s; BackendConfig and Service in other files: no fix',
      yaml: gunicorn(),
      opts: { otherFiles: [service({ annotations: NEG_ANNOTATIONS }), backendConfig(10)] },
      lines: [23],
      noFix: true,
    },
    {
      name: 'AGIC with connection draining of 10 s (ingressClassName form)',
      yaml: docs(
        gunicorn(),
        service(),
        ingress({ className: 'azure-application-gateway', annotations: 'appgw.ingress.kubernetes.io/connection-draining: "true"\nappgw.ingress.kubernetes.io/connection-draining-timeout: "10"' }),
      ),
      lines: [23],
    },
    {
      name: 'a delay of 0',
      yaml: docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=0') })),
      lines: [23],
    },
  ],
  dontFire: [
    { name: 'an ALB delay longer than the timeout', yaml: docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=60') })) },
    { name: 'a delay equal to the timeout', yaml: docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=30') })) },
    { name: 'the default delay (nothing written)', yaml: docs(gunicorn(), service(), ingress()) },
    { name: 'an attribute list without the delay', yaml: docs(gunicorn(), service(), ingress({ annotations: albAttrs('stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60') })) },
    {
      name: 'an NLB without connection termination keeps its flows past the delay',
      yaml: docs(gunicorn(), service({ type: 'LoadBalancer', annotations: nlbAnnotations('service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=10') })),
    },
    {
      name: 'instance targets: the ALB reaches nodes, not the pod',
      yaml: docs(gunicorn(), service(), ingress({ annotations: 'alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=10' })),
    },
    {
      name: "Azure's recommended configuration: draining 30 s, sleep 90, grace 101 (gunicorn's default 30 s)",
      yaml: docs(
        deployment({ extra: `args: ["gunicorn", "app:app"]\n${sleepHook(90)}`, grace: 101 }),
        service(),
        ingress({ className: '', annotations: agicAnnotations('appgw.ingress.kubernetes.io/connection-draining: "true"\nappgw.ingress.kubernetes.io/connection-draining-timeout: "30"') }),
      ),
    },
    {
      name: 'AGIC draining timeout without connection-draining "true"',
      yaml: docs(gunicorn(), service(), ingress({ className: '', annotations: agicAnnotations('appgw.ingress.kubernetes.io/connection-draining-timeout: "10"') })),
    },
    { name: 'an app whose timeout is unknown', yaml: docs(deployment({ extra: sleepHook(15), grace: 60 }), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') })) },
    { name: 'a BackendConfig without connection draining', yaml: gunicorn(), opts: { otherFiles: [service({ annotations: NEG_ANNOTATIONS }), backendConfig(60)] } },
    { name: 'an Ingress of another namespace', yaml: docs(gunicorn(), service(), ingress({ ns: 'other', annotations: albAttrs('deregistration_delay.timeout_seconds=10') })) },
  ],
});

test('the message names the load balancer, the setting and the time to set; the related locations are the setting and the load balancer', () => {
  const text = docs(gunicorn(), service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') }));
  const [f] = findingsOf(text, 'lb-drain-mismatch');
  assert.ok(f);
  assert.match(f.message, /Application Load Balancer/);
  assert.match(f.message, /deregistration_delay\.timeout_seconds=10/);
  // 15 s sleep + 30 s timeout
  assert.match(f.message, /at least 45 s/);
  const rel = f.related.map((r) => text.slice(r.span.start, r.span.end));
  assert.deepEqual(rel, ['deregistration_delay.timeout_seconds=10', 'ip']);
});

test('a BackendConfig in another file is related information there', () => {
  const a = lint(gunicorn(), { otherFiles: [service({ annotations: NEG_ANNOTATIONS }), backendConfig(10)] });
  const f = a.findings.find((x) => x.ruleId === 'lb-drain-mismatch');
  assert.ok(f);
  assert.deepEqual(
    f.related.map((r) => r.filePath),
    ['other-1.yaml', 'other-0.yaml'],
  );
});

test('no fix when the draining time is written in another file, and the reason says so', () => {
  const a = lint(docs(gunicorn(), service()), { otherFiles: [ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') })] });
  const f = a.findings.find((x) => x.ruleId === 'lb-drain-mismatch');
  assert.ok(f);
  assert.ok(a.hasFix(f), 'the rule has a fix');
  assert.equal(a.fixFor(f), undefined);
  assert.match(a.fixProblem(f) ?? '', /the draining time is written in another file \(other-0\.yaml\); a fix edits only the file of its finding/);
});

test("the fix's title names the new value; fix-all raises the delay once for two pods behind it, to what the longer needs", () => {
  const web2 = deployment({ name: 'web2', extra: `args: ["gunicorn", "--graceful-timeout", "50", "app:app"]\n${sleepHook(15)}`, grace: 80, image: 'example/web:1' });
  const text = docs(gunicorn(), web2, service(), ingress({ annotations: albAttrs('deregistration_delay.timeout_seconds=10') }));
  const a = lint(text);
  const fs = a.findings.filter((x) => x.ruleId === 'lb-drain-mismatch');
  assert.equal(fs.length, 2);
  assert.match(a.fixFor(fs[0]!)?.title ?? '', /Raise the draining time to 45 s \(deregistration_delay\.timeout_seconds=45\)/);
  // Raising it to 45 s leaves the second pod's finding (it needs 65 s), which is not new: the fix holds.
  const out = fixAll(text, { settings: DEFAULT_SETTINGS });
  assert.match(out.output, /deregistration_delay\.timeout_seconds=65\n/);
  assert.deepEqual(lint(out.output).findings.filter((x) => x.ruleId === 'lb-drain-mismatch'), []);
});
