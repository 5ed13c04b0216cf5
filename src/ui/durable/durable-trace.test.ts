// The durable trace: the lines the in-memory grammar lacks (`boot`, `disk`, `converged`) are
// read, and each message a line lists is paired with the etcd Message its batch returned, so the
// event log can describe it as etcd does.
import { describe, expect, it } from 'vitest';
import { makeMessage, MessageType } from '../../raft/types';
import { RunTrace } from '../model/run-trace';
import { durableLineKind, parseDurableLine, recordLine } from './durable-trace';

describe('durable trace', () => {
  it('reads boot and disk lines as nemesis events, and tells events, injections and notes apart', () => {
    expect(parseDurableLine('0 boot 2')).toMatchObject({
      kind: 'nemesis',
      node: 2,
      fault: null,
      sent: [],
    });
    expect(parseDurableLine('812 disk full 3 (down)')).toMatchObject({
      kind: 'nemesis',
      node: 3,
      fault: { kind: 'crash', node: 3, text: 'disk full 3 (down)' },
    });
    expect(parseDurableLine('900 disk freed 3 restart').fault).toMatchObject({
      kind: 'restart',
      node: 3,
    });
    expect(durableLineKind('900 inject crash 1 now | down: down')).toBe('inject');
    expect(durableLineKind('950 converged leader 2 term 4')).toBe('note');
    expect(durableLineKind('951 tick 1')).toBe('event');
  });

  it('pairs the messages a line lists with the batch messages, copy by copy', () => {
    const trace = new RunTrace();
    const vote = makeMessage({
      type: MessageType.MsgVote,
      from: 1,
      to: 2,
      term: 2,
      logTerm: 1,
      index: 1,
    });
    const lost = makeMessage({
      type: MessageType.MsgVote,
      from: 1,
      to: 3,
      term: 2,
      logTerm: 1,
      index: 1,
    });
    const line =
      '120 tick 1 | MsgVote 1>2 t2 lt1 i1 c0 @123,@125 | MsgVote 1>3 t2 lt1 i1 c0 lost:partition';
    recordLine(
      trace,
      line,
      7,
      [
        {
          node: 1,
          messages: [vote, lost],
          logLines: [{ level: 'INFO', text: '1 became candidate at term 2' }],
        },
      ],
      'event',
    );
    expect(trace.events).toEqual([{ eventCount: 7, timeMs: 120, kind: 'tick', node: 1, line }]);
    expect(
      trace.flights.map((flight) => [
        flight.to,
        flight.arriveMs,
        flight.copy,
        flight.message === null ? null : flight.message.to,
      ]),
    ).toEqual([
      [2, 123, 0, 2],
      [2, 125, 1, null],
      [3, null, 0, 3],
    ]);
    expect(trace.flights[2].lostBecause).toBe('partition');
    expect(trace.engineLog).toEqual([
      { eventCount: 7, timeMs: 120, node: 1, level: 'INFO', text: '1 became candidate at term 2' },
    ]);
  });
});
