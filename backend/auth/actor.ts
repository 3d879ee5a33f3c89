import { AsyncLocalStorage } from 'node:async_hooks';
import { invalidParam } from '../core/errors';

import type { Role } from '../api/team';
export type { Role };
export const ROLES: readonly Role[] = ['reader', 'writer', 'admin'];

/** Who is making the current request: stores record it with every write they commit. */
export interface Actor {
  user: string;
  role: Role;
}

const current = new AsyncLocalStorage<Actor>();

/** Runs `fn` (and everything it awaits) on behalf of `actor`. */
export function runAs<T>(actor: Actor, fn: () => T): T {
  return current.run(actor, fn);
}

/** The actor of the request being served, if any (CLI and background work have none). */
export function currentActor(): Actor | undefined {
  return current.getStore();
}

export function parseRole(s: string): Role {
  const role = ROLES.find((r) => r === s.toLowerCase());
  if (!role) throw invalidParam(`unknown role '${s}' (expected ${ROLES.join(', ')})`);
  return role;
}

/** Whether `role` is allowed what `needed` is allowed (admin ⊃ writer ⊃ reader). */
export const roleAllows = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);
