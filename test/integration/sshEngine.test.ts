// An ssh:// engine for real: an sshd of the test's own on this machine's loopback (its own host key, config and
// authorized key, which points `docker system dial-stdio` at the test engine), reached the way the extension reaches
// any ssh:// engine. HOME is pointed at a folder of the test's (its ~/.ssh: the client key, known_hosts) and
// SSH_AUTH_SOCK is unset while it runs, so the user's own keys and known_hosts are never read or written.
import { strict as assert } from 'assert';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestSeam } from '../../src/extension/testing';
import { activateExtension, waitFor } from './helpers';

const sshd = '/usr/sbin/sshd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as net.AddressInfo; srv.close(() => resolve(port)); });
  });
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});

describe('ssh:// engine through a real sshd', function () {
  this.timeout(90_000);
  let api: TestSeam;
  let dir = '';
  let home = '';
  let port = 0;
  let server: ChildProcess | undefined;
  let serverLog = '';
  const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
  const config = () => vscode.workspace.getConfiguration('dockerNetworkDoctor');
  const keyLine = (pub: string) => fs.readFileSync(pub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const setKnownHosts = (line: string) => fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), `${line}\n`);

  before(async function () {
    if (process.getuid?.() !== 0 || !fs.existsSync(sshd)) {
      // sshd runs as root here; CI runs as root with openssh-server installed by scripts/test.js, so never skips there
      if (process.env.CI) assert.fail('the ssh engine test needs root and openssh-server');
      this.skip();
    }
    api = await activateExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-ssh-'));
    home = path.join(dir, 'home');
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
    keygen(path.join(dir, 'host_ed25519'));
    keygen(path.join(dir, 'other_ed25519'));
    keygen(path.join(home, '.ssh', 'id_ed25519'));
    fs.writeFileSync(path.join(dir, 'authorized_keys'),
      `environment="DOCKER_HOST=${process.env.DOCKER_HOST}" ${keyLine(path.join(home, '.ssh', 'id_ed25519.pub'))}\n`);
    port = await freePort();
    fs.writeFileSync(path.join(dir, 'sshd_config'), [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
      'StrictModes no', 'PermitUserEnvironment yes', '',
    ].join('\n'));
    fs.mkdirSync('/run/sshd', { recursive: true });
    server = spawn(sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (d) => { serverLog += d.toString(); });
    await waitFor(`sshd on 127.0.0.1:${port} (${serverLog})`, () => listening(port), 15_000);
    process.env.HOME = home;
    delete process.env.SSH_AUTH_SOCK;
  });

  after(async () => {
    process.env.HOME = saved.HOME;
    if (saved.SSH_AUTH_SOCK !== undefined) process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
    await config().update('engine.host', undefined, vscode.ConfigurationTarget.Global);
    server?.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a host key that known_hosts does not list, and shows its fingerprint and the fix', async () => {
    setKnownHosts('# empty');
    await config().update('engine.host', `ssh://root@127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    const state = await waitFor('the ssh problem', () => api.session.state.kind === 'unreachable' && api.session.state.problem.kind === 'ssh'
      && api.session.state, 20_000);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    assert.match(state.problem.message, /is not in known_hosts/);
    assert.ok(state.problem.message.includes(`ssh-ed25519 ${fingerprint}`), `${state.problem.message} shows ${fingerprint}`);
    assert.ok(state.problem.fix.includes(`ssh -p ${port} 127.0.0.1`), state.problem.fix);
    assert.ok(!fs.readFileSync(path.join(home, '.ssh', 'known_hosts'), 'utf8').includes('ssh-ed25519'), 'known_hosts is left as it was');
  });

  it('shows the engine over ssh once the host key is listed (hashed, as ssh-keygen -H writes it)', async () => {
    setKnownHosts(`[127.0.0.1]:${port} ${keyLine(path.join(dir, 'host_ed25519.pub'))}`);
    execFileSync('ssh-keygen', ['-H', '-f', path.join(home, '.ssh', 'known_hosts')], { stdio: 'ignore' });
    await vscode.commands.executeCommand('dockerNetworkDoctor.tree.refresh');
    const state = await waitFor(`the connected state (${serverLog.slice(-300)})`, () => api.session.state.kind === 'connected' && api.session.state, 30_000);
    assert.match(state.version.version, /^\d+\.\d+/);
    await waitFor('the bridge network in the tree', () => api.networksTree.getChildren().some((n) => n.kind === 'network' && n.network.name === 'bridge'),
      10_000);
  });

  it('refuses a host key that differs from the listed one, and says it may be an attack', async () => {
    setKnownHosts(`[127.0.0.1]:${port} ${keyLine(path.join(dir, 'other_ed25519.pub'))}`);
    await vscode.commands.executeCommand('dockerNetworkDoctor.tree.refresh');
    const state = await waitFor('the changed-key problem', () => api.session.state.kind === 'unreachable' && api.session.state.problem.kind === 'ssh'
      && api.session.state, 20_000);
    assert.match(state.problem.message, /has changed: .*known_hosts line 1 lists another ssh-ed25519 key.*intercepting/);
    assert.ok(state.problem.fix.includes(`ssh-keygen -R "[127.0.0.1]:${port}"`), state.problem.fix);
  });
});
