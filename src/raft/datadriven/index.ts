// cockroachdb/datadriven for the engine's golden files: parser, argument helpers and runner.
export * from './parse-line';
export * from './parse';
export * from './args';
export * from './run';
