// scripts/harden-glue.mjs on a small glue file of the shape wasm-bindgen generates: it adds the receiver checks
// (brand, freed pointer) that run before anything enters wasm, and it fails the build when an import could throw
// inside wasm without wasm-bindgen's `catch` wrapper. The real glue is hardened by every build (scripts/build.sh);
// the sweep (sweep.test.mjs) tests the result against the real module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'harden-glue.mjs');

/** A glue file in wasm-bindgen's shape: one class, a constructor, a method, and `extra` imports. */
function glue(extraImports = '') {
  const safe = Array.from({ length: 20 }, (_, i) => `        __wbg_get_${i.toString(16).padStart(16, '0')}: function() { return handleError(function (arg0, arg1) {\n            const ret = Reflect.get(arg0, arg1);\n            return ret;\n        }, arguments); },`).join('\n');
  return `/* @ts-self-types="./kms_offline.d.ts" */

class Thing {
    static __wrap(ptr) {
        const obj = Object.create(Thing.prototype);
        obj.__wbg_ptr = ptr;
        ThingFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ThingFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_thing_free(ptr, 0);
    }
    constructor() {
        const ret = wasm.thing_new();
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        ThingFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * @returns {number}
     */
    value() {
        const ret = wasm.thing_value(this.__wbg_ptr);
        return ret;
    }
}
exports.Thing = Thing;

function __wbg_get_imports() {
    const import0 = {
${safe}
${extraImports}
    };
    return { './kms_offline_bg.js': import0 };
}
`;
}

function harden(text) {
  const dir = mkdtempSync(path.join(tmpdir(), 'harden-glue-'));
  const file = path.join(dir, 'kms_offline.js');
  writeFileSync(file, text);
  const run = spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
  const out = readFileSync(file, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, out };
}

test('the receiver checks are added, and they refuse freed, foreign and plain receivers before any wasm call', () => {
  const { status, stderr, out } = harden(glue());
  assert.equal(status, 0, stderr);
  assert.match(out, /KMS_BRAND\.set\(obj, Thing\)/);
  assert.match(out, /KMS_BRAND\.set\(this, Thing\)/);
  assert.match(out, /wasm\.thing_value\(kmsSelf\(this, Thing, 'value'\)\)/);
  assert.match(out, /if \(!kmsFreeable\(this, Thing\)\) return;/);

  // Run the hardened class against a fake wasm that records every call.
  const calls = [];
  const wasm = { thing_new: () => [8, 0, 0], thing_value: (ptr) => (calls.push(['value', ptr]), 42), __wbg_thing_free: (ptr) => calls.push(['free', ptr]) };
  const exports = {};
  const ThingFinalization = { register() {}, unregister() {} };
  new Function('wasm', 'exports', 'ThingFinalization', 'takeFromExternrefTable0', out)(wasm, exports, ThingFinalization, (x) => x);
  const { Thing } = exports;
  const thing = new Thing();
  assert.equal(thing.value(), 42);
  const refused = (fn) => assert.throws(fn, (e) => e.name === 'ValidationException' && e.code === 'ValidationException');
  refused(() => Thing.prototype.value.call({ __wbg_ptr: 8 })); // a plain object with a pointer
  refused(() => Thing.prototype.value.call(Object.create(Thing.prototype))); // a shell
  thing.free();
  refused(() => thing.value()); // freed
  thing.free(); // a second free() is a no-op
  refused(() => Thing.prototype.free.call({}));
  assert.deepEqual(calls, [['value', 8], ['free', 8]], 'wasm was called for a refused receiver');
});

test('an import that may throw inside wasm without catch fails the build, naming it', () => {
  const risky = `        __wbg_isArray_0123456789abcdef: function(arg0) {\n            const ret = Array.isArray(arg0);\n            return ret;\n        },`;
  const { status, stderr } = harden(glue(risky));
  assert.equal(status, 1);
  assert.match(stderr, /__wbg_isArray_0123456789abcdef/);
  assert.match(stderr, /may throw inside wasm without catch/);
});

test('a glue of an unknown shape fails the build', () => {
  const { status, stderr } = harden('/* @ts-self-types="./kms_offline.d.ts" */\nexports.x = 1;\n');
  assert.equal(status, 1);
  assert.match(stderr, /no exported classes found/);
});
