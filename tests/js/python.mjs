// The Python interpreter of the cross-checks (ESDK, DSSE, X.509): $KMS_PYTHON when set (scripts/env.sh), otherwise
// the venv scripts/setup.sh makes at the same default place env.sh names, so a bare `node --test` finds it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cache = process.env.KMS_OFFLINE_CACHE || path.join(os.homedir(), '.cache', 'kms-offline');
/** The interpreter's path (it may not exist: see `havePython`). */
export const PYTHON = process.env.KMS_PYTHON || path.join(cache, 'python-venv', 'bin', 'python');
/** Whether it exists. Under CI=true the tests that need it fail without it instead of skipping. */
export const havePython = fs.existsSync(PYTHON);
