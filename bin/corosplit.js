#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled transformer so it shares one TypeScript instance with it.
import { main } from '../dist/transformer/cli.js';

process.exitCode = await main(process.argv.slice(2));
