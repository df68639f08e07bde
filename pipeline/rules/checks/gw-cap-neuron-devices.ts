import {
  compareVersions,
  IMAGES,
  imageTag,
  NEURON_DRA_MIN_KUBERNETES,
  NEURON_ULTRASERVER_MIN_DEVICE_PLUGIN,
} from '../../model/images';
import { acceleratorResource } from '../../model/labels';
import {
  NEURON_DEVICE_CLASS,
  NEURON_DRA_INSTALL_COMMAND,
  neuronNodeClaimTemplate,
  RESOURCE_NEURON_DRA,
} from '../../model/queues';
import type { Finding, Rule } from '../rule';
import { poolTarget } from '../rule';
import { awsPools } from '../select';

/** Trainium UltraServer pools get the Neuron device stack their deployment guide requires. */
export const capNeuronDevices: Rule = {
  id: 'GW-CAP-NEURON-DEVICES',
  severity: 'error',
  category: 'capacity',
  title: 'Trainium UltraServer pools get the Neuron device stack the Neuron UltraServer guides require',
  explanation:
    "The Neuron UltraServer guide (aws-neuron-sdk deploy/eks/ultraserver.rst) requires the Neuron device plugin 2.30.0.0 or later on Trn2 UltraServers; gigawatt pins the older plugin of the vendor static manifest, so a Trn2 UltraServer pool gets a warning. Trainium3 UltraServers use the Neuron DRA driver with the UltraServer operator instead of the device plugin (deploy/eks/ultraserver-operator.rst): they need Kubernetes 1.34 or later, and the device plugin must not run on their nodes. gigawatt does not write the DRA driver: a Trainium3 pool is an error below Kubernetes 1.34 and a warning (install the driver) from 1.34. Pods get Trainium3 devices through ResourceClaims of DeviceClass neuron.aws.com: the pool's Kueue queue counts those claims as neuron.aws.com/device through Kueue's deviceClassMappings, and each team namespace that may use the pool gets the ResourceClaimTemplate <pool>-neuron-node (all devices of one node) for workloads to reference.",
  check(plan) {
    const out: Finding[] = [];
    const k8s = plan.kubernetes.version;
    const plugin = imageTag(IMAGES.neuronDevicePlugin);
    for (const pool of awsPools(plan).filter((p) => p.acceleratorVendor === 'aws')) {
      const path = ['pools', pool.index, 'instanceType'];
      if (pool.acceleratorModel === 'Trainium3') {
        const old = compareVersions(k8s, NEURON_DRA_MIN_KUBERNETES) < 0;
        out.push({
          path,
          target: poolTarget(pool.name),
          severity: old ? 'error' : 'warning',
          message: old
            ? `Pool '${pool.name}' (${pool.typeName}, Trainium3 UltraServer) needs the Neuron DRA driver and UltraServer operator, which need Kubernetes ${NEURON_DRA_MIN_KUBERNETES} or later; kubernetes.version is ${k8s}.`
            : `Pool '${pool.name}' (${pool.typeName}, Trainium3 UltraServer) gets its devices from the Neuron DRA driver and UltraServer operator, which gigawatt does not install; its nodes offer no Neuron devices until they are installed. Its Kueue queue counts claims of DeviceClass ${NEURON_DEVICE_CLASS} (as ${RESOURCE_NEURON_DRA}, through Kueue's deviceClassMappings), not ${acceleratorResource('neuron')}: workloads reference the ResourceClaimTemplate '${neuronNodeClaimTemplate(pool)}' that kueue.yaml writes in each team namespace that may use the pool.`,
          hint: old
            ? `Set kubernetes.version to '${NEURON_DRA_MIN_KUBERNETES}' or later, then install the Neuron Helm chart with devicePlugin.enabled=false, draDriver.enabled=true and ultraserverOperator.enabled=true (deploy/eks/ultraserver-operator.rst).`
            : `Install the DRA driver with \`${NEURON_DRA_INSTALL_COMMAND}\` (deploy/eks/dra.rst), adding --set "ultraserverOperator.enabled=true" for the UltraServer operator (deploy/eks/ultraserver-operator.rst), and no device plugin on these nodes; give pods the label \`kueue.x-k8s.io/queue-name: ${pool.name}\`, \`resourceClaims: [{name: neurons, resourceClaimTemplateName: ${neuronNodeClaimTemplate(pool)}}]\` and \`resources.claims: [{name: neurons}]\` instead of ${acceleratorResource('neuron')} requests.`,
        });
      } else if (pool.ultraServerSizes && compareVersions(plugin, NEURON_ULTRASERVER_MIN_DEVICE_PLUGIN) < 0)
        out.push({
          path,
          target: poolTarget(pool.name),
          severity: 'warning',
          message: `Pool '${pool.name}' (${pool.typeName}) is an UltraServer pool: the Neuron UltraServer guide requires the Neuron device plugin ${NEURON_ULTRASERVER_MIN_DEVICE_PLUGIN} or later, and gigawatt's Neuron device plugin manifest pins ${plugin}.`,
          hint: `Install the Neuron device plugin ${NEURON_ULTRASERVER_MIN_DEVICE_PLUGIN} or later from the Neuron Helm chart (oci://public.ecr.aws/neuron/neuron-helm-chart) instead of gigawatt's neuron-device-plugin.yaml, or waive this once the cluster runs one.`,
        });
    }
    return out;
  },
};
