/**
 * Preloaded into our server for the memory run (node --expose-gc --require heap-probe.js):
 * every 500 ms, a full garbage collection, then the live heap and RSS appended as a JSON line
 * to $KG_HEAP_PROBE. The heap after a full collection shows growth that RSS, which swings with
 * the collector, hides. Writes nothing to stdout (the protocol's channel).
 */
'use strict';

const fs = require('node:fs');

const file = process.env.KG_HEAP_PROBE;
if (file && typeof global.gc === 'function') {
  const sample = () => {
    global.gc();
    const m = process.memoryUsage();
    fs.appendFileSync(file, `${JSON.stringify({ at: Date.now(), heapUsed: m.heapUsed, rss: m.rss })}\n`);
  };
  setInterval(sample, 500).unref();
}
