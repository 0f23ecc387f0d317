/**
 * Manifests the command-line tests (the CLI, the GitHub Action, the pre-commit hooks) share: a
 * Service, the Deployment it selects (no preStop hook), and a Pod whose grace period is too short.
 */
import { yaml } from './helpers';

export const service = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports: [{port: 80, targetPort: 8080}]
`;

export const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
`;

export const tooShort = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: api}
  spec:
    terminationGracePeriodSeconds: 10
    containers:
    - name: api
      image: example/api:1
      lifecycle: {preStop: {exec: {command: [sleep, "10"]}}}
`;
