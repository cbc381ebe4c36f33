// Builds a fresh realm: every evaluation gets its own intrinsics, so nothing one evaluation does to
// Object.prototype & co. is visible to another.

import type { ComptimeLimits } from '../limits.js';
import { Realm } from '../realm.js';
import { installArray } from './array.js';
import { installBase } from './base.js';
import { installCollections } from './collections.js';
import { installConsole } from './console.js';
import { installDate } from './date.js';
import { installIterator } from './iterator.js';
import { installPromise } from './promise.js';
import { installProxy } from './proxy.js';
import { installRegExp } from './regexp.js';
import { installTyped } from './typed.js';
import { installJSON } from './json.js';
import { installString } from './string.js';

export function createRealm(limits: ComptimeLimits): Realm {
  const R = new Realm(limits);
  // Building the intrinsics is not guest work: it must not count against the guest's budgets.
  const maxHeap = R.maxHeap;
  R.maxHeap = Infinity;
  installBase(R);
  installArray(R);
  installString(R);
  installJSON(R);
  installCollections(R);
  installPromise(R);
  installDate(R);
  installRegExp(R);
  installTyped(R);
  installIterator(R);
  installProxy(R);
  installConsole(R);
  R.maxHeap = maxHeap;
  R.heap = 0;
  return R;
}
