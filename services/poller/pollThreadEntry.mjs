// A poll thread's entry: the poller runs its TypeScript sources through tsx (bin/poller.js), and a worker thread registers it anew.
import { register } from 'tsx/esm/api';

register();
await import('./pollThread.ts');
