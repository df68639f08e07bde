export * from './accelerator-pool';
export * from './gpu-cluster';
export * from './interfaces';
export * from './network-fabric';
export * from './power-envelope';
export * from './stacks';
export * from './synth';
