/**
 * A worker thread of a parallel CLI run (see parallel.ts): reads its part of the files, sends what
 * they share with the others, then analyses them against the run's indexes and sends the reports.
 */
import { parentPort } from 'node:worker_threads';
import { ChartHelpers } from './files';
import { indexesOf, type Input } from './inputs';
import { analysePart, readPart, sharedOfPart, toWire, type FromWorker, type ToWorker } from './shard';

function serve(port: NonNullable<typeof parentPort>): void {
  const charts = new ChartHelpers();
  let inputs: Input[] = [];
  let wantFixable = false;
  const send = (m: FromWorker): void => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'read') {
        wantFixable = m.wantFixable;
        // Blocks come one after another: the inputs of every block read are kept, in order.
        const read = readPart(m.jobs, m.settings, charts);
        if (read) inputs.push(...read);
        send({ type: 'read', failed: read === undefined, shared: sharedOfPart(read ?? []) });
      } else {
        const reports = analysePart(inputs, indexesOf(m.shared), charts, wantFixable);
        inputs = [];
        send({ type: 'reports', reports: reports.map(toWire) });
      }
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

if (parentPort) serve(parentPort);
