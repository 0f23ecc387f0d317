import { ruleTests, yaml } from '../helpers';

function pod(grace: string, container: string): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: hook}
    spec:
      selector: {matchLabels: {app: hook}}
      template:
        metadata: {labels: {app: hook}}
        spec:
          terminationGracePeriodSeconds: ${grace}
          containers:
          - name: hook
            image: example/hook:1
            ${container}
  `;
}

ruleTests('grace-period-zero', {
  fire: [
    {
      name: 'zero on a serving pod',
      yaml: pod('0', 'ports: [{containerPort: 9443}]'),
      lines: [9],
      severity: 'warning',
      fixed: pod('20', 'ports: [{containerPort: 9443}]'),
    },
    {
      name: 'negative is treated as 1 s',
      yaml: pod('-1', 'ports: [{containerPort: 9443}]'),
      fixed: pod('20', 'ports: [{containerPort: 9443}]'),
    },
    {
      name: 'zero with a preStop hook that will never run',
      yaml: pod('0', 'lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}'),
      fixed: pod('25', 'lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}'),
    },
  ],
  dontFire: [
    { name: 'a positive grace period', yaml: pod('10', 'ports: [{containerPort: 9443}]') },
    { name: 'a pod that serves nothing (pause buffer pods)', yaml: pod('0', 'resources: {}') },
    {
      name: 'a client pod that only sleeps, selected by a Service for mesh identity (grace 0 is deliberate)',
      yaml: `apiVersion: v1\nkind: Service\nmetadata: {name: hook}\nspec:\n  selector: {app: hook}\n  ports: [{name: http, port: 80}]\n---\n${pod('0', 'command: ["/bin/sleep", "infinity"]')}`,
    },
    {
      name: 'a Job',
      yaml: pod('0', 'ports: [{containerPort: 9443}]').replace('apps/v1', 'batch/v1').replace('kind: Deployment', 'kind: Job'),
    },
    { name: 'suppressed on the line', yaml: pod('0 # kube-graceful-disable-line grace-period-zero', 'ports: [{containerPort: 9443}]') },
  ],
});
