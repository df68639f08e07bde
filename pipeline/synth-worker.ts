/**
 * One worker thread of `synthesizeAllInParallel` (pipeline/synth.ts): the Terraform of some sites and the
 * Kubernetes files of some clusters, posted back to the parent. Never imported; run by `new Worker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeTerraformParts } from '../constructs/synth';
import { synthesizeKubernetes } from './kubernetes/synth';
import { PlanSource } from './schema/source';
import type { SynthJob, SynthReply } from './synth';
import { GigawattError } from './util/errors';

const job = workerData as SynthJob;
// The plan arrives without its source (positions of the parsed text stay with the parent, which has checked
// every limit that quotes one): only the file name is needed here.
const plan = { ...job.plan, source: new PlanSource(job.file) };
let reply: SynthReply;
try {
  reply = {
    terraform: synthesizeTerraformParts(plan, { ...job.options, sites: job.sites }),
    kubernetes: [...synthesizeKubernetes(plan, job.clusters)],
  };
} catch (e) {
  reply = {
    error:
      e instanceof GigawattError
        ? { code: e.code, message: e.message, exitCode: e.exitCode }
        : e instanceof Error
          ? { message: e.message, stack: e.stack }
          : { message: String(e) },
  };
}
parentPort!.postMessage(reply);
