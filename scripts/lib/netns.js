// Network namespaces for private test engines. Each engine gets its own (so engines of different versions, and a
// developer's own engine, never rewrite each other's iptables chains), plus an "outside" namespace joined to it by a
// veth pair: a host on the engine's LAN, from which tests connect to published ports as another machine would.
//
//   <name>      the engine's namespace: lo, and dnd-lan with 198.51.100.2/24 and 2001:db8:dd::2/64
//   <name>-out  the outside host: dnd-lan with 198.51.100.1/24 and 2001:db8:dd::1/64
//
// The addresses are documentation prefixes (RFC 5737, RFC 3849) on a link that leads nowhere else: nothing a test
// sends leaves these two namespaces. Names carry the creating process's pid, so leftovers of a killed run are found
// and removed by the next one (only when that pid is gone), never someone else's.
'use strict';
const fs = require('fs');
const { spawnSync } = require('child_process');
const { run } = require('./proc');

const NETNS_DIR = '/var/run/netns';
const PREFIX = 'dnd-e';
const LAN = { engine4: '198.51.100.2', outside4: '198.51.100.1', engine6: '2001:db8:dd::2', outside6: '2001:db8:dd::1' };

function ip(args) {
  run('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

function exists(name) {
  return fs.existsSync(`${NETNS_DIR}/${name}`);
}

function remove(name) {
  for (const n of [`${name}-out`, name]) if (exists(n)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Removes namespaces left by runs whose process is gone (a killed test run cannot clean up after itself). */
function removeStale() {
  if (!fs.existsSync(NETNS_DIR)) return;
  for (const n of fs.readdirSync(NETNS_DIR)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-[a-z0-9]+$`).exec(n);
    if (m && !pidAlive(Number(m[1]))) remove(n);
  }
}

/**
 * Makes the engine's namespace and its outside peer; returns their names and addresses. `tag` tells engines of one
 * process apart (lower-case letters and digits).
 */
function createEngineNetns(tag) {
  removeStale();
  const name = `${PREFIX}${process.pid}-${tag}`;
  const out = `${name}-out`;
  remove(name);
  try {
    ip(['netns', 'add', name]);
    ip(['netns', 'add', out]);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    ip(['-n', out, 'link', 'set', 'lo', 'up']);
    // created inside the namespaces directly, so the names never meet the machine's own interfaces
    ip(['-n', name, 'link', 'add', 'dnd-lan', 'type', 'veth', 'peer', 'name', 'dnd-lan', 'netns', out]);
    ip(['-n', name, 'addr', 'add', `${LAN.engine4}/24`, 'dev', 'dnd-lan']);
    ip(['-n', out, 'addr', 'add', `${LAN.outside4}/24`, 'dev', 'dnd-lan']);
    ip(['-n', name, 'addr', 'add', `${LAN.engine6}/64`, 'dev', 'dnd-lan', 'nodad']);
    ip(['-n', out, 'addr', 'add', `${LAN.outside6}/64`, 'dev', 'dnd-lan', 'nodad']);
    ip(['-n', name, 'link', 'set', 'dnd-lan', 'up']);
    ip(['-n', out, 'link', 'set', 'dnd-lan', 'up']);
  } catch (e) {
    remove(name);
    throw e;
  }
  return { name, outside: out, path: `${NETNS_DIR}/${name}`, outsidePath: `${NETNS_DIR}/${out}`, ...LAN, remove: () => remove(name) };
}

module.exports = { createEngineNetns, removeStale, LAN };
