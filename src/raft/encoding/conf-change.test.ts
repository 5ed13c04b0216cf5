// raftpb's conf-change helpers and the gogoproto codec of ConfChange / ConfChangeV2.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfChangeTransition,
  ConfChangeType,
  EntryType,
  type ConfChange,
  type ConfChangeV2,
} from '../types';
import {
  asV1,
  asV2,
  confChangeSize,
  confChangesFromString,
  confChangesToString,
  enterJoint,
  isConfChangeV2,
  leaveJoint,
  marshalConfChange,
  marshalConfChangeI,
  marshalConfChangeV2,
  ProtoDecodeError,
  unmarshalConfChange,
  unmarshalConfChangeV2,
} from './conf-change';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('known encodings (derived by hand from the protobuf wire format)', () => {
  // A key byte is (field number << 3) | wire type; wire type 0 is a varint, 2 length-delimited.
  // ConfChange: id=1 -> 0x08, type=2 -> 0x10, node_id=3 -> 0x18, context=4 -> 0x22.
  // ConfChangeV2: transition=1 -> 0x08, changes=2 -> 0x12, context=3 -> 0x1a.
  // ConfChangeSingle: type=1 -> 0x08, node_id=2 -> 0x10.
  // gogoproto writes non-nullable scalars even when zero, and bytes only when not nil.

  it('ConfChange{} is three zero varint fields', () => {
    const cc: ConfChange = { type: 0, nodeId: 0, context: null, id: 0 };
    expect(marshalConfChange(cc)).toEqual(bytes(0x08, 0x00, 0x10, 0x00, 0x18, 0x00));
  });

  it('ConfChange{AddLearnerNode, node 300, context "ab", id 1}', () => {
    // 300 = 0b10_0101100: low 7 bits 0x2c with the continuation bit -> 0xac, then 0x02.
    const cc: ConfChange = {
      type: ConfChangeType.ConfChangeAddLearnerNode,
      nodeId: 300,
      context: bytes(0x61, 0x62),
      id: 1,
    };
    const encoded = bytes(0x08, 0x01, 0x10, 0x03, 0x18, 0xac, 0x02, 0x22, 0x02, 0x61, 0x62);
    expect(marshalConfChange(cc)).toEqual(encoded);
    expect(confChangeSize(cc)).toBe(encoded.length);
    expect(unmarshalConfChange(encoded)).toEqual(cc);
  });

  it('an empty context is written (present but empty), unlike a null one', () => {
    const cc: ConfChange = { type: 0, nodeId: 1, context: new Uint8Array(), id: 0 };
    expect(marshalConfChange(cc)).toEqual(bytes(0x08, 0x00, 0x10, 0x00, 0x18, 0x01, 0x22, 0x00));
    expect(unmarshalConfChange(marshalConfChange(cc)).context).toEqual(new Uint8Array());
  });

  it('ConfChangeV2{JointExplicit, [v2, r3]}', () => {
    const cc: ConfChangeV2 = {
      transition: ConfChangeTransition.ConfChangeTransitionJointExplicit,
      changes: [
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 2 },
        { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 3 },
      ],
      context: null,
    };
    const encoded = bytes(
      0x08,
      0x02,
      0x12,
      0x04,
      0x08,
      0x00,
      0x10,
      0x02,
      0x12,
      0x04,
      0x08,
      0x01,
      0x10,
      0x03,
    );
    expect(marshalConfChangeV2(cc)).toEqual(encoded);
    expect(unmarshalConfChangeV2(encoded)).toEqual(cc);
  });

  it('the empty ConfChangeV2 (leave joint) is one zero field; no data decodes to it too', () => {
    const cc: ConfChangeV2 = { transition: 0, changes: [], context: null };
    expect(marshalConfChangeV2(cc)).toEqual(bytes(0x08, 0x00));
    expect(unmarshalConfChangeV2(new Uint8Array())).toEqual(cc);
  });
});

const context = fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null });
const id = fc.maxSafeNat();
const confChange: fc.Arbitrary<ConfChange> = fc.record({
  type: fc.integer({ min: 0, max: 3 }),
  nodeId: id,
  context,
  id,
});
const confChangeV2: fc.Arbitrary<ConfChangeV2> = fc.record({
  transition: fc.integer({ min: 0, max: 2 }),
  changes: fc.array(fc.record({ type: fc.integer({ min: 0, max: 3 }), nodeId: id }), {
    maxLength: 6,
  }),
  context,
});

describe('codec', () => {
  it('round-trips ConfChange and ConfChangeV2', () => {
    fc.assert(
      fc.property(confChange, (cc) => {
        const encoded = marshalConfChange(cc);
        expect(encoded.length).toBe(confChangeSize(cc));
        expect(unmarshalConfChange(encoded)).toEqual(cc);
      }),
    );
    fc.assert(
      fc.property(confChangeV2, (cc) => {
        expect(unmarshalConfChangeV2(marshalConfChangeV2(cc))).toEqual(cc);
      }),
    );
  });

  it('skips unknown fields of every wire type', () => {
    // Field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then node_id=5.
    const data = bytes(
      0x48,
      0x96,
      0x01,
      0x51,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      0x5a,
      0x01,
      0xff,
      0x65,
      1,
      2,
      3,
      4,
      0x18,
      0x05,
    );
    expect(unmarshalConfChange(data)).toEqual({ type: 0, nodeId: 5, context: null, id: 0 });
  });

  it("rejects malformed data with gogoproto's messages", () => {
    const cases: Array<[Uint8Array, string]> = [
      [bytes(0x08), 'unexpected EOF'],
      [bytes(0x08, 0x80), 'unexpected EOF'],
      [bytes(0x22, 0x05, 0x61), 'unexpected EOF'],
      [bytes(0x0a, 0x00), 'proto: wrong wireType = 2 for field ID'],
      [bytes(0x20, 0x00), 'proto: wrong wireType = 0 for field Context'],
      [bytes(0x00), 'proto: ConfChange: illegal tag 0 (wire type 0)'],
      [bytes(0x0c), 'proto: ConfChange: wiretype end group for non-group'],
      [bytes(0x4e), 'proto: illegal wireType 6'],
      [
        bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        'proto: integer overflow',
      ],
    ];
    for (const [data, message] of cases) {
      expect(() => unmarshalConfChange(data)).toThrow(ProtoDecodeError);
      expect(() => unmarshalConfChange(data)).toThrow(message);
    }
    expect(() => unmarshalConfChangeV2(bytes(0x12, 0x02, 0x08))).toThrow('unexpected EOF');
    expect(() => unmarshalConfChangeV2(bytes(0x12, 0x02, 0x0a, 0x00))).toThrow(
      'proto: wrong wireType = 2 for field Type',
    );
  });

  it('never throws anything but ProtoDecodeError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        for (const decode of [unmarshalConfChange, unmarshalConfChangeV2]) {
          try {
            decode(data);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtoDecodeError);
          }
        }
      }),
    );
  });
});

describe('ConfChangeI helpers (raftpb/confchange.go)', () => {
  const v1: ConfChange = {
    type: ConfChangeType.ConfChangeAddNode,
    nodeId: 2,
    context: bytes(1),
    id: 7,
  };

  it('asV2 / asV1 / isConfChangeV2', () => {
    expect(isConfChangeV2(v1)).toBe(false);
    expect(asV1(v1)).toBe(v1);
    const v2 = asV2(v1);
    expect(v2).toEqual({
      transition: ConfChangeTransition.ConfChangeTransitionAuto,
      changes: [{ type: ConfChangeType.ConfChangeAddNode, nodeId: 2 }],
      context: bytes(1),
    });
    expect(isConfChangeV2(v2)).toBe(true);
    expect(asV2(v2)).toBe(v2);
    expect(asV1(v2)).toBeNull();
  });

  it('marshalConfChangeI picks the entry type', () => {
    expect(marshalConfChangeI(v1)).toEqual({
      type: EntryType.EntryConfChange,
      data: marshalConfChange(v1),
    });
    expect(marshalConfChangeI(asV2(v1)).type).toBe(EntryType.EntryConfChangeV2);
    expect(marshalConfChangeI(null)).toEqual({ type: EntryType.EntryConfChangeV2, data: null });
  });

  it('enterJoint and leaveJoint follow the transition and the number of changes', () => {
    const single = [{ type: ConfChangeType.ConfChangeAddNode, nodeId: 1 }];
    const double = [...single, { type: ConfChangeType.ConfChangeAddNode, nodeId: 2 }];
    const cc = (transition: ConfChangeTransition, changes = single): ConfChangeV2 => ({
      transition,
      changes,
      context: null,
    });
    expect(enterJoint(cc(ConfChangeTransition.ConfChangeTransitionAuto))).toEqual({
      autoLeave: false,
      ok: false,
    });
    expect(enterJoint(cc(ConfChangeTransition.ConfChangeTransitionAuto, double))).toEqual({
      autoLeave: true,
      ok: true,
    });
    expect(enterJoint(cc(ConfChangeTransition.ConfChangeTransitionJointImplicit))).toEqual({
      autoLeave: true,
      ok: true,
    });
    expect(enterJoint(cc(ConfChangeTransition.ConfChangeTransitionJointExplicit))).toEqual({
      autoLeave: false,
      ok: true,
    });
    expect(() => enterJoint(cc(9 as ConfChangeTransition))).toThrow('unknown transition');
    expect(leaveJoint(cc(ConfChangeTransition.ConfChangeTransitionAuto, []))).toBe(true);
    expect(leaveJoint(cc(ConfChangeTransition.ConfChangeTransitionJointExplicit, []))).toBe(false);
    expect(leaveJoint(cc(ConfChangeTransition.ConfChangeTransitionAuto))).toBe(false);
  });

  it('parses and prints the v/l/r/u syntax', () => {
    const changes = confChangesFromString('  v1 l2 r3 u4 ');
    expect(changes).toEqual([
      { type: ConfChangeType.ConfChangeAddNode, nodeId: 1 },
      { type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 2 },
      { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 3 },
      { type: ConfChangeType.ConfChangeUpdateNode, nodeId: 4 },
    ]);
    expect(confChangesToString(changes)).toBe('v1 l2 r3 u4');
    expect(confChangesFromString('')).toEqual([]);
    expect(confChangesToString([{ type: 9 as ConfChangeType, nodeId: 1 }])).toBe('unknown1');
  });

  it("reports bad changes with Go's messages", () => {
    expect(() => confChangesFromString('v')).toThrow('unknown token v');
    expect(() => confChangesFromString('v1  v2')).toThrow('unknown token ');
    expect(() => confChangesFromString('x1')).toThrow('unknown input: x1');
    expect(() => confChangesFromString('va')).toThrow(
      'strconv.ParseUint: parsing "a": invalid syntax',
    );
    expect(() => confChangesFromString('v-1')).toThrow(
      'strconv.ParseUint: parsing "-1": invalid syntax',
    );
    expect(() => confChangesFromString('v99999999999999999999')).toThrow(
      'strconv.ParseUint: parsing "99999999999999999999": value out of range',
    );
  });

  it('round-trips through the string syntax', () => {
    const single = fc.record({
      type: fc.integer({ min: 0, max: 3 }),
      nodeId: fc.maxSafeNat(),
    });
    fc.assert(
      fc.property(fc.array(single, { maxLength: 8 }), (changes) => {
        expect(confChangesFromString(confChangesToString(changes))).toEqual(changes);
      }),
    );
  });
});
