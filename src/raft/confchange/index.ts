// etcd's confchange package: simple and joint configuration changes, and restoring a ConfState.
export * from './confchange';
export * from './restore';
