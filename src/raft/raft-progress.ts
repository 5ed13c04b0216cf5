// Resetting the progress of every peer when the term or role changes (part of etcd's raft.reset).
import { Progress } from './tracker/progress';
import { Inflights } from './tracker/inflights';
import type { Raft } from './raft';

export function resetProgress(r: Raft): void {
  const lastIndex = r.raftLog.lastIndex();
  r.trk.visit((id, pr) => {
    const fresh = new Progress({
      match: id === r.id ? lastIndex : 0,
      next: lastIndex + 1,
      inflights: new Inflights(r.trk.maxInflight, r.trk.maxInflightBytes),
      isLearner: pr.isLearner,
    });
    r.trk.progress.set(id, fresh);
  });
}
