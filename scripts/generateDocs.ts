/** `npm run docs`: regenerate the README's check catalogue from the auditor registry. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withCatalogue } from './checkCatalogue.ts';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withCatalogue(readFileSync(path, 'utf8')));
console.log('README.md check catalogue updated');
