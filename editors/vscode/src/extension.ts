import * as os from 'os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { resolveServer } from './serverPath';

const SERVER_GENERATE_DOCKERFILE = 'dockside.generateDockerfile';

/** Every Dockerfile name Dockside lints, for files VS Code has not given the language. */
const DOCKERFILE_PATTERN = '**/{Dockerfile,Containerfile,dockerfile,containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Dockside');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dockside.restartServer', () => restart(context)),
    vscode.commands.registerCommand('dockside.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('dockside.generateDockerfileForProject', (uri?: vscode.Uri) =>
      generateDockerfile(uri),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('dockside.server.path')) {
        await restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const config = vscode.workspace.getConfiguration('dockside');
  const server = resolveServer({
    configuredPath: config.get<string>('server.path'),
    extensionDir: context.extensionPath,
    platform: process.platform,
    arch: process.arch,
    homeDir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  output.appendLine(`Starting ${server.command} lsp (from ${describeOrigin(server.origin)})`);
  const executable = { command: server.command, args: ['lsp'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', pattern: DOCKERFILE_PATTERN },
    ],
    // The server reads the `dockside` section (the keys of dockside.toml) both at start and
    // on every change.
    initializationOptions: { dockside: JSON.parse(JSON.stringify(config)) as unknown },
    synchronize: { configurationSection: 'dockside' },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient('dockside', 'Dockside', serverOptions, clientOptions);
}

function describeOrigin(origin: string): string {
  switch (origin) {
    case 'setting':
      return 'the dockside.server.path setting';
    case 'bundled':
      return 'the binary bundled with the extension';
    default:
      return 'PATH';
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const newClient = createClient(context);
  client = newClient;
  try {
    await newClient.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`Dockside did not start: ${message}`);
    const choice = await vscode.window.showErrorMessage(
      'Dockside: the language server did not start. Install `dockside` on PATH or set dockside.server.path.',
      'Open Settings',
      'Show Output',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dockside.server.path');
    } else if (choice === 'Show Output') {
      output.show(true);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  if (old && old.state !== State.Stopped) {
    try {
      await old.stop();
    } catch (error) {
      output.appendLine(`Stopping the old server failed: ${String(error)}`);
    }
  }
  await start(context);
}

/** Asks the server to write a Dockerfile (and .dockerignore) for a .NET project. */
async function generateDockerfile(target?: vscode.Uri): Promise<void> {
  const running = client;
  if (!running || !running.isRunning()) {
    void vscode.window.showErrorMessage('Dockside: the language server is not running.');
    return;
  }
  const supported = running.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!supported.includes(SERVER_GENERATE_DOCKERFILE)) {
    void vscode.window.showErrorMessage(
      'Dockside: this version of the server cannot generate Dockerfiles yet; update dockside.',
    );
    return;
  }
  const project = target?.fsPath.endsWith('proj') ? target : await pickProject();
  if (!project) {
    return;
  }
  try {
    await running.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_GENERATE_DOCKERFILE,
      arguments: [{ project: project.toString() }],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Dockside: generating the Dockerfile failed: ${message}`);
  }
}

async function pickProject(): Promise<vscode.Uri | undefined> {
  const projects = await vscode.workspace.findFiles(
    '**/*.{csproj,fsproj,vbproj}',
    '**/{bin,obj,node_modules,.git}/**',
  );
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('Dockside: no .NET project (.csproj, .fsproj, .vbproj) in the workspace.');
    return undefined;
  }
  if (projects.length === 1) {
    return projects[0];
  }
  const picked = await vscode.window.showQuickPick(
    projects
      .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    { placeHolder: 'The project to write a Dockerfile for' },
  );
  return picked?.uri;
}
