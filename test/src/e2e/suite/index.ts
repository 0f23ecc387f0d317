// Entry point of the extension-host test suite: VS Code (desktop via @vscode/test-electron,
// or code-server via test/tools/e2e-host.js) loads this module as `extensionTestsPath` and
// awaits run(); a rejected promise makes the host exit with a non-zero code.
import { runAll } from './harness';
import './extension.test';

export function run(): Promise<void> {
  return runAll();
}
