// What each API key scope allows, in the words the UI uses (the server decides: 403 forbidden_scope).
import type { KeyScope } from './api';

export const SCOPES: { value: KeyScope; label: string; short: string; explanation: string }[] = [
  {
    value: 'admin',
    label: 'Admin',
    short: 'everything, keys included',
    explanation: 'Everything in the workspace, creating and revoking API keys included.',
  },
  {
    value: 'write',
    label: 'Write',
    short: 'everything but keys',
    explanation: 'Read and change everything in the workspace except API keys.',
  },
  {
    value: 'ingest',
    label: 'Ingest',
    short: 'only report events',
    explanation: 'Only POST /v1/events and /v1/events/batch: for the app servers that report events.',
  },
  {
    value: 'read',
    label: 'Read',
    short: 'look, change nothing',
    explanation: 'See everything (GET requests) and change nothing.',
  },
];

export function scopeLabel(scope: string): string {
  return SCOPES.find((s) => s.value === scope)?.label ?? scope;
}

export function scopeExplanation(scope: string): string {
  return SCOPES.find((s) => s.value === scope)?.explanation ?? '';
}

export function scopeShort(scope: string): string {
  return SCOPES.find((s) => s.value === scope)?.short ?? '';
}

// A key's name as the UI shows it. The server names the key given to `hookline serve --api-key`
// "--api-key" and makes it an instance key; such a key reads "Instance key (--api-key)". The
// words say only what the API tells (an instance key named "--api-key"), so they stay true for
// another instance key an operator named so; a key named "--api-key" through the API is no
// instance key and keeps its name.
export const COMMAND_LINE_KEY_NAME = '--api-key';

export function keyName(key: { name: string; instance: boolean }): string {
  return key.instance && key.name === COMMAND_LINE_KEY_NAME ? `Instance key (${key.name})` : key.name;
}
