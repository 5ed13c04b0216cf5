// For tsconfig.pure.json only. src/sim drives the etcd node host, whose storage codecs use the
// WHATWG TextEncoder and TextDecoder. Every runtime raftlab runs in (browsers, Workers, Node) has
// them, but the ES2022 library does not declare them, and the pure build must not pull in DOM or
// Node types to get them: these are the two members the codecs use, nothing more.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
