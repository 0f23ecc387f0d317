/** The path in front of a pod (model/lb.ts, model/routes.ts): which load balancers are recognised, and from what. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeList } from '../../../server/out/core/model/lb';
import { findingsOf, yaml } from './helpers';
import { backendConfig, deployment, docs, ingress, nlbAnnotations, service, sleepHook } from './lb-fixtures';

const SHORT = deployment({ extra: sleepHook(5) });
const lbMessage = (text: string, otherFiles: string[] = []): string | undefined =>
  findingsOf(text, 'prestop-sleep-too-short', { otherFiles }).find((f) => f.severity === 'warning')?.message;

test('AWS target-group attributes: key=value pairs, spaces around them tolerated', () => {
  assert.deepEqual(
    [...attributeList('deregistration_delay.timeout_seconds=30, deregistration_delay.connection_termination.enabled=true,bad')],
    [
      ['deregistration_delay.timeout_seconds', '30'],
      ['deregistration_delay.connection_termination.enabled', 'true'],
    ],
  );
});

test('GKE standalone NEGs (exposed_ports) count; the beta backend-config annotation and its per-port form are followed', () => {
  assert.match(lbMessage(docs(SHORT, service({ annotations: `cloud.google.com/neg: '{"exposed_ports": {"80": {}}}'` }))) ?? '', /network endpoint group/);
  const gunicorn = deployment({ extra: `args: ["gunicorn", "--graceful-timeout", "30", "app:app"]\n${sleepHook(15)}`, grace: 60 });
  const perPort = `cloud.google.com/neg: '{"ingress": true}'\nbeta.cloud.google.com/backend-config: '{"ports": {"80": "my-backendconfig"}}'`;
  assert.equal(findingsOf(docs(gunicorn, service({ annotations: perPort }), backendConfig(10)), 'lb-drain-mismatch').length, 1);
  assert.equal(findingsOf(docs(gunicorn, service({ annotations: perPort }), backendConfig(10, 'other')), 'lb-drain-mismatch').length, 0, 'a BackendConfig of another namespace');
  assert.equal(lbMessage(docs(SHORT, service({ annotations: `cloud.google.com/neg: 'not json'` }))), undefined);
});

test("an ALB target type on the Service overrides the Ingress's", () => {
  assert.equal(lbMessage(docs(SHORT, service({ annotations: 'alb.ingress.kubernetes.io/target-type: instance' }), ingress())), undefined);
  assert.match(lbMessage(docs(SHORT, service({ annotations: 'alb.ingress.kubernetes.io/target-type: ip' }), ingress({ annotations: 'alb.ingress.kubernetes.io/scheme: internal' }))) ?? '', /Application Load Balancer/);
});

test('an NLB target type on a ClusterIP Service is not a load balancer', () => {
  assert.equal(lbMessage(docs(SHORT, service({ type: 'ClusterIP', annotations: nlbAnnotations() }))), undefined);
  assert.match(lbMessage(docs(SHORT, service({ type: 'LoadBalancer', annotations: nlbAnnotations() }))) ?? '', /Network Load Balancer/);
});

test('an extensions/v1beta1 Ingress (backend.serviceName) is followed', () => {
  const old = yaml`
    apiVersion: extensions/v1beta1
    kind: Ingress
    metadata:
      namespace: game-2048
      name: old
      annotations:
        kubernetes.io/ingress.class: azure/application-gateway
    spec:
      backend:
        serviceName: service-2048
        servicePort: 80
  `;
  assert.match(lbMessage(docs(SHORT, service()), [old]) ?? '', /Application Gateway/);
});

test('an Ingress to another Service, and a Job behind a load balancer, draw nothing', () => {
  const other = ingress().replace('name: service-2048', 'name: another');
  assert.equal(lbMessage(docs(SHORT, service(), other)), undefined);
  const job = yaml`
    apiVersion: batch/v1
    kind: Job
    metadata: {namespace: game-2048, name: j}
    spec:
      template:
        metadata:
          labels: {app.kubernetes.io/name: app-2048}
        spec:
          restartPolicy: Never
          containers:
          - name: j
            image: busybox
            ports: [{containerPort: 80}]
            lifecycle: {preStop: {sleep: {seconds: 1}}}
  `;
  assert.deepEqual(findingsOf(docs(job, service(), ingress()), 'prestop-sleep-too-short'), []);
});
