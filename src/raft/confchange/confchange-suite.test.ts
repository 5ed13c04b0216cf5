// The confchange suite against etcd's golden files (../shared, byte for byte) and the project's own
// scenarios under testdata/confchange.
import { describeGoldenSuite } from '../datadriven/golden-suite.test-helpers';

describeGoldenSuite('confchange');
