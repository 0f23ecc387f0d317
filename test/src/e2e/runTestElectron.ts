// Runs the extension-host suite in desktop VS Code downloaded by @vscode/test-electron.
// Needs internet access to update.code.visualstudio.com (contributors' machines, public CI);
// offline machines run the same suite inside code-server with test/tools/e2e-host.js.
//
//   npm run build && npm run bundle && node test/out/e2e/runTestElectron.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // test/out/e2e -> repository root
  const root = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.join(__dirname, 'suite', 'index.js');
  const fixture = path.join(root, 'test', 'e2e', 'fixtures', 'workspace');
  // The suite edits and saves files, so it works on a throwaway copy of the fixture.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-graceful-e2e-'));
  const workspace = path.join(temp, 'workspace');
  fs.cpSync(fixture, workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(temp, 'user-data')}`,
      ],
    });
    console.log('e2e (electron): passed');
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`e2e (electron): FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
