// A vitest reporter for `npm test`: how long each test file took, hooks included (a file's services,
// browsers and runtimes start in its hooks), written as JSON to the file named by
// STREAMLAB_DURATIONS so scripts/test-all.mjs can list the slowest files and each tier's total.
//
//   [{ project, file, ms, state }]   ms: from the file's start (its import) to its end
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export default class DurationsReporter {
  started = new Map();
  rows = [];

  onInit(vitest) {
    this.root = vitest.config.root;
  }

  // Called when a worker is about to import the file (its setup files first), not while it waits for one.
  onTestModuleQueued(module) {
    this.started.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module) {
    const d = module.diagnostic();
    const from = this.started.get(module.moduleId);
    const ms = from !== undefined ? performance.now() - from : d.prepareDuration + d.setupDuration + d.collectDuration + d.duration;
    this.rows.push({ project: module.project.name, file: relative(this.root, module.moduleId), ms: Math.round(ms), state: module.state() });
  }

  onTestRunEnd() {
    const file = process.env.STREAMLAB_DURATIONS;
    if (file) writeFileSync(file, JSON.stringify(this.rows));
  }
}
