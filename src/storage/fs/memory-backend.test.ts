import { describeBackendConformance } from './backend-conformance';
import { MemoryBackend } from './memory-backend';

describeBackendConformance('MemoryBackend', async () => new MemoryBackend());
