/** How every Kubernetes file gigawatt writes is turned into YAML. */
import {
  stringify,
  type CreateNodeOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToStringOptions,
} from 'yaml';
import type { KubeObject } from './types';

/**
 * How every manifest is written, with the `yaml` library's own options rather than by hand:
 * - `aliasDuplicateObjects: false`: an object used twice (a DaemonSet's labels in its metadata and its pod
 *   template) is written out twice, never as an anchor and alias, which some tools reject or mishandle.
 * - `version: '1.2'` with `compat: 'yaml-1.1'`: a string is left plain only if both YAML 1.2 (core schema)
 *   and YAML 1.1 read it back as that string. kubectl reads manifests through sigs.k8s.io/yaml, whose
 *   goyaml.v2 (a fork of go-yaml v2.4.0, "most of YAML 1.1") resolves yes/no/on/off as booleans, so a namespace `on` or a pool `no` would otherwise arrive as a boolean,
 *   and `010` or `0x10` as a number; with `compat` they are quoted.
 * - `lineWidth: 0`: long strings (annotations) are never folded.
 */
export const YAML_OUTPUT_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.2',
  compat: 'yaml-1.1',
  aliasDuplicateObjects: false,
  lineWidth: 0,
};

/** Write data as one YAML document with the manifest options. */
export const toYamlDocument = (data: unknown): string => stringify(data, YAML_OUTPUT_OPTIONS);

export const toYaml = (objects: readonly KubeObject[]): string => objects.map(toYamlDocument).join('---\n');
