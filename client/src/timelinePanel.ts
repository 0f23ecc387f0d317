/**
 * "kube-graceful: Show termination timeline": asks the language server for the timeline
 * picture of the workload under the cursor (the `kubeGraceful/terminationTimeline` request)
 * and shows it large in a webview beside the editor. The server computes the picture; this
 * only shows it, in a page with no scripts and a strict Content-Security-Policy.
 */
import { ViewColumn, window, type Disposable, type WebviewPanel } from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';

export const COMMAND_SHOW_TIMELINE = 'kube-graceful.showTimeline';
const TIMELINE_REQUEST = 'kubeGraceful/terminationTimeline';
const VIEW_TYPE = 'kubeGraceful.timeline';

interface TimelineResult {
  readonly title: string;
  readonly svg: string;
}

function isTimelineResult(x: unknown): x is TimelineResult {
  if (x === null || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  return typeof o['title'] === 'string' && typeof o['svg'] === 'string';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page: the picture as a data-URI image (never inline markup), no scripts. */
export function timelineHtml(result: TimelineResult): string {
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const data = Buffer.from(result.svg, 'utf8').toString('base64');
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(result.title)}</title>
<style nonce="${nonce}">
  body { padding: 16px; }
  img { width: 100%; max-width: 1400px; height: auto; display: block; }
</style>
</head>
<body>
<img src="data:image/svg+xml;base64,${data}" alt="${escapeHtml(result.title)}">
</body>
</html>`;
}

export class TimelinePanel implements Disposable {
  private panel: WebviewPanel | undefined;

  constructor(private readonly client: () => BaseLanguageClient | undefined) {}

  async show(): Promise<void> {
    const editor = window.activeTextEditor;
    const client = this.client();
    if (!editor) {
      void window.showInformationMessage('kube-graceful: open a Kubernetes manifest and put the cursor in a workload.');
      return;
    }
    if (!client?.isRunning()) {
      void window.showWarningMessage('kube-graceful: the language server is not running.');
      return;
    }
    const raw: unknown = await client.sendRequest(TIMELINE_REQUEST, {
      textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
    if (!isTimelineResult(raw)) {
      void window.showInformationMessage('kube-graceful: no workload with a pod template under the cursor.');
      return;
    }
    const panel = this.panel ?? this.create();
    panel.title = raw.title;
    panel.webview.html = timelineHtml(raw);
    panel.reveal(ViewColumn.Beside, true);
  }

  private create(): WebviewPanel {
    const panel = window.createWebviewPanel(VIEW_TYPE, 'Termination timeline', { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
