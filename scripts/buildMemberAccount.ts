/**
 * `npm run build:member-account`: regenerate member-account/template.json and
 * member-account/event-patterns.json from the auditor registry. A test fails
 * when the committed files and the registry disagree.
 */
import { writeFileSync } from 'node:fs';
import { AUDITORS } from '../auditors/registry.ts';
import { eventPatternsFile, memberAccountTemplate } from '../member-account/memberAccountTemplate.ts';

export const TEMPLATE_PATH = new URL('../member-account/template.json', import.meta.url);
export const PATTERNS_PATH = new URL('../member-account/event-patterns.json', import.meta.url);

writeFileSync(TEMPLATE_PATH, `${JSON.stringify(memberAccountTemplate(AUDITORS), null, 2)}\n`);
writeFileSync(PATTERNS_PATH, `${JSON.stringify(eventPatternsFile(AUDITORS), null, 2)}\n`);
console.log('member-account/template.json and member-account/event-patterns.json written');
