// The error a call throws (the tests then check its name, rule and message); fails the test when it returns.
import assert from 'node:assert/strict';

export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}
