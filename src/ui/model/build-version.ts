// The build's version (package.json), which traces record: a run replays only on the build that
// made it, as `raftlab replay` insists too.
import packageJson from '../../../package.json';

export const buildVersion: string = packageJson.version;
