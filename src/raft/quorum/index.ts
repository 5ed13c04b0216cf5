// etcd's quorum package: majority and joint quorums.
export * from './quorum';
export * from './majority';
export * from './joint';
