// etcd's tracker package: per-follower progress, the inflights window and the tracker.
export * from './state';
export * from './inflights';
export * from './progress';
export * from './tracker';
