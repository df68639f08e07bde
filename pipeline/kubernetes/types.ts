/** A Kubernetes object as plain data: what the YAML files hold and what the Pulumi program registers. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Labels gigawatt puts on every object it generates. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'gigawatt' } as const;
