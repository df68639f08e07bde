/**
 * One worker thread of `synthesizeAllInParallel` (pipeline/synth.ts): the Terraform of some sites and the
 * Kubernetes files of some clusters, each app's part and each cluster's files posted to the parent as soon
 * as they are built, so the thread never holds more than one of them. Never imported; run by `new Worker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeTerraformParts } from '../constructs/synth';
import { clusterFiles } from './kubernetes/synth';
import { PlanSource } from './schema/source';
import type { SynthJob, SynthMessage } from './synth';
import { GigawattError } from './util/errors';

const job = workerData as SynthJob;
const post = (message: SynthMessage) => parentPort!.postMessage(message);
// The plan arrives without its source (positions of the parsed text stay with the parent, which has checked
// every limit that quotes one): only the file name is needed here.
const plan = { ...job.plan, source: new PlanSource(job.file) };
try {
  for (const part of synthesizeTerraformParts(plan, { ...job.options, sites: job.sites }))
    post({ terraform: part });
  for (const files of clusterFiles(plan, job.clusters)) post({ kubernetes: [...files] });
  post({ done: true });
} catch (e) {
  post({
    error:
      e instanceof GigawattError
        ? { code: e.code, message: e.message, exitCode: e.exitCode }
        : e instanceof Error
          ? { message: e.message, stack: e.stack }
          : { message: String(e) },
  });
}
