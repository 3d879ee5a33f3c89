import { randomBytes, randomUUID } from 'node:crypto';

/** MLflow run ids: lowercase 32-hex (uuid4 without dashes); lowercase matters for `run_id IN (…)`. */
export const newRunId = (): string => randomUUID().replace(/-/g, '');

/** MLflow 3 logged-model ids: `m-` and 32 hex digits. */
export const newLoggedModelId = (): string => `m-${randomUUID().replace(/-/g, '')}`;

export const newToken = (): string => randomBytes(24).toString('base64url');

const ADJECTIVES = [
  'able', 'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'dapper', 'eager', 'fair',
  'fleet', 'gentle', 'glad', 'grand', 'honest', 'jolly', 'keen', 'kind', 'lively', 'lucky', 'merry',
  'nimble', 'noble', 'placid', 'proud', 'quick', 'quiet', 'rare', 'ripe', 'rustic', 'sharp', 'shy',
  'silent', 'sleek', 'smart', 'snug', 'spry', 'steady', 'sunny', 'swift', 'tidy', 'vast', 'warm', 'wise',
];
const ANIMALS = [
  'auk', 'bat', 'bear', 'bee', 'bison', 'boar', 'carp', 'cat', 'colt', 'crab', 'crane', 'crow', 'deer',
  'dove', 'eel', 'elk', 'finch', 'fox', 'frog', 'gnu', 'goat', 'hare', 'hawk', 'heron', 'ibex', 'jay',
  'koi', 'lark', 'lynx', 'mink', 'mole', 'moth', 'newt', 'owl', 'ox', 'puma', 'quail', 'ram', 'seal',
  'shrew', 'snail', 'swan', 'toad', 'trout', 'vole', 'wasp', 'whale', 'wolf', 'wren', 'yak',
];

const pick = <T>(xs: readonly T[]): T => xs[randomBytes(2).readUInt16LE() % xs.length] as T;

/** `<adjective>-<animal>-<0..999>`, the shape of MLflow's generated run names. */
export const newRunName = (): string => `${pick(ADJECTIVES)}-${pick(ANIMALS)}-${randomBytes(2).readUInt16LE() % 1000}`;
