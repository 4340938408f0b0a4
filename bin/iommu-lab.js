#!/usr/bin/env node
// Loads the TypeScript CLI in-process through tsx: no build step, and signals
// (Ctrl-C, SIGTERM from CI) reach the one process that must clean up the bench.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
