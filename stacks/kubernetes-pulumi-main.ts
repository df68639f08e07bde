/** Entry point of the Pulumi program (stacks/Pulumi.yaml): loads the plan and deploys one cluster's objects. */
import { allManifests } from '../pipeline/kubernetes/synth';
import { validateFile } from '../pipeline/run';
import { DEFAULT_PLAN } from '../pipeline/util/paths';
import { failing } from '../pipeline/rules/engine';
import { deployKubernetesObjects } from './kubernetes-pulumi';

const planFile = process.env.GIGAWATT_PLAN ?? DEFAULT_PLAN;
const result = validateFile(planFile);
const errors = failing(result.diagnostics);
if (!result.plan || errors.length)
  throw new Error(`${planFile}: ${errors.length} error(s); run gigawatt validate ${planFile}`);
const clusters = allManifests(result.plan);
const wanted = process.env.GIGAWATT_CLUSTER ?? clusters[0]?.cluster;
const manifests = clusters.find((c) => c.cluster === wanted);
if (!manifests)
  throw new Error(
    `no cluster '${wanted}' in ${planFile}; clusters: ${clusters.map((c) => c.cluster).join(', ')}`,
  );
deployKubernetesObjects([...manifests.components.values()].flat());
