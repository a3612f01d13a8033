// The generated set of the reference test (composeReference.test.ts): small projects, each written into a temp folder,
// one per compose feature the product follows. Hand-made for the test (not from any project).
export interface GeneratedCase {
  name: string;
  /** Files of the project (relative names). */
  tree: Record<string, string>;
  /** `-f` files; none: compose's discovery (COMPOSE_FILE, compose.yaml…). */
  files: string[];
  env?: Record<string, string>;
  envFiles?: string[];
  /** A refusal the product does not report yet, and why. */
  pinned?: { compose: RegExp; why: string };
}

const svc = (name: string, body = '') => `  ${name}:\n    image: dnd-test/busybox\n${body}`;

export function generatedCases(): GeneratedCase[] {
  return [
    {
      name: 'interpolation: .env, ${VAR:-x}, ${VAR-x}, $$',
      tree: {
        '.env': 'WEB_PORT=8080\nEMPTY=\n',
        'compose.yaml': `services:\n${svc('web', '    ports:\n      - "${WEB_PORT}:80"\n      - "${API_PORT:-9090}:90"\n      - "${EMPTY:-7070}:70"\n'
          + '      - "${UNSET-6060}:60"\n')}${svc('side', '    network_mode: "container:a$$b"\n')}`,
      },
      files: [],
    },
    {
      name: '--env-file replaces .env; the shell wins over both',
      tree: {
        '.env': 'WEB_PORT=1111\nAPI_PORT=2222\n',
        'ci.env': 'WEB_PORT=8181\n',
        'compose.yaml': `services:\n${svc('web', '    ports:\n      - "${WEB_PORT}:80"\n      - "${API_PORT:-9191}:91"\n      - "${SHELL_PORT}:92"\n')}`,
      },
      files: ['compose.yaml'], envFiles: ['ci.env'], env: { SHELL_PORT: '8282' },
    },
    {
      name: '${VAR:?msg} unset: compose refuses',
      tree: { 'compose.yaml': `services:\n${svc('web', '    ports:\n      - "${NEEDED:?set NEEDED first}:80"\n')}` },
      files: ['compose.yaml'],
    },
    {
      name: 'COMPOSE_PROFILES from .env',
      tree: {
        '.env': 'COMPOSE_PROFILES=debug\n',
        'compose.yaml': `services:\n${svc('web', '    ports: ["8000:80"]\n')}${svc('tools', '    profiles: [debug]\n    ports: ["8001:80"]\n')}`
          + `${svc('admin', '    profiles: [admin]\n    ports: ["8002:80"]\n')}`,
      },
      files: [],
    },
    {
      name: 'COMPOSE_PROFILES=* from the shell',
      tree: { 'compose.yaml': `services:\n${svc('web')}${svc('tools', '    profiles: [debug]\n')}${svc('admin', '    profiles: [admin]\n')}` },
      files: [], env: { COMPOSE_PROFILES: '*' },
    },
    {
      name: 'no COMPOSE_PROFILES: only services without profiles',
      tree: { 'compose.yaml': `services:\n${svc('web')}${svc('tools', '    profiles: [debug]\n')}` },
      files: [],
    },
    {
      name: 'COMPOSE_FILE with several files (":" from the shell), ports merged',
      tree: {
        'base.yaml': `services:\n${svc('web', '    ports: ["8000:80"]\n    networks: [front]\n')}networks:\n  front: {}\n  back: {}\n`,
        'ops/extra.yaml': `services:\n  web:\n    ports: ["8443:443"]\n    networks: [back]\n${svc('db', '    networks: [back]\n')}`,
      },
      files: [], env: { COMPOSE_FILE: 'base.yaml:ops/extra.yaml' },
    },
    {
      name: 'COMPOSE_FILE and COMPOSE_PATH_SEPARATOR from .env',
      tree: {
        '.env': 'COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=one.yaml;two.yaml\n',
        'one.yaml': `services:\n${svc('a', '    ports: ["7000:70"]\n')}`,
        'two.yaml': `services:\n${svc('b', '    ports: ["7001:70"]\n')}`,
      },
      files: [],
    },
    {
      name: 'include: short and long form, the included folder\'s .env',
      tree: {
        '.env': 'WEB_PORT=8080\n',
        'compose.yaml': `include:\n  - db/compose.yaml\n  - path: [cache/compose.yaml, cache/ports.yaml]\n    env_file: ` +
          `cache.env\nservices:\n${svc('web', '    ports: ["${WEB_PORT}:80"]\n')}`,
        'db/.env': 'DB_PORT=5433\nWEB_PORT=1\n',
        'db/compose.yaml': `services:\n${svc('db', '    ports: ["${DB_PORT}:5432"]\n    networks: [data]\n')}networks:\n  data: {}\n`,
        'cache.env': 'CACHE_PORT=6380\n',
        'cache/compose.yaml': `services:\n${svc('cache', '    ports: ["${CACHE_PORT}:6379"]\n')}`,
        'cache/ports.yaml': 'services:\n  cache:\n    ports: ["16379:6379"]\n',
      },
      files: [],
    },
    {
      name: 'include: a service defined twice is refused',
      tree: {
        'compose.yaml': `include:\n  - other.yaml\nservices:\n${svc('web')}`,
        'other.yaml': `services:\n${svc('web', '    ports: ["8000:80"]\n')}`,
      },
      files: ['compose.yaml'],
    },
    {
      name: 'include: the same definition twice is accepted, unless it has ports',
      tree: {
        'compose.yaml': `include:\n  - other.yaml\n  - ports.yaml\nservices:\n${svc('web', '    expose: ["80"]\n')}`,
        'other.yaml': `services:\n${svc('web', '    expose: ["80"]\n')}${svc('db')}`,
        'ports.yaml': `services:\n${svc('db')}`,
      },
      files: ['compose.yaml'],
    },
    {
      name: 'include: the same definition with ports twice is refused',
      tree: {
        'compose.yaml': `include:\n  - other.yaml\nservices:\n${svc('web', '    ports: ["8000:80"]\n')}`,
        'other.yaml': `services:\n${svc('web', '    ports: ["8000:80"]\n')}`,
      },
      files: ['compose.yaml'],
    },
    {
      name: 'include: a cycle is refused',
      tree: { 'compose.yaml': `include:\n  - compose.yaml\nservices:\n${svc('web')}` },
      files: ['compose.yaml'],
    },
    {
      name: 'include: a missing file is refused',
      tree: { 'compose.yaml': `include:\n  - missing.yaml\nservices:\n${svc('web')}` },
      files: ['compose.yaml'],
    },
    {
      name: 'extends across files (and the default compose.override.yaml)',
      tree: {
        'compose.yaml': `services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n    ports: ["8080:80"]\n`,
        'common/base.yaml': `services:\n${svc('base', '    ports: ["9000-9002:9000-9002"]\n    networks: [shared]\n')}`,
        'compose.override.yaml': 'services:\n  web:\n    networks: [shared, default]\nnetworks:\n  shared: {}\n',
      },
      files: [],
    },
    {
      name: '<< merges of anchors (ports, networks, network_mode)',
      tree: {
        'compose.yaml': 'x-net: &net\n  networks: [front]\nx-ports: &ports\n  ports: ["3000:3000"]\nservices:\n'
          + '  a:\n    image: dnd-test/busybox\n    <<: [*net, *ports]\n'
          + '  b:\n    image: dnd-test/busybox\n    <<: *ports\n    ports: ["3001:3000"]\n'
          + '  c:\n    image: dnd-test/busybox\n    <<: *net\n'
          + 'networks:\n  front: {}\n',
      },
      files: ['compose.yaml'],
    },
    {
      name: 'long syntax with ranges in published, IPv6 host IPs',
      tree: {
        'compose.yaml': `services:\n${svc('a', '    ports:\n'
          + '      - target: 80\n        published: "8000-8010"\n        host_ip: "::1"\n'
          + '      - target: 53\n        published: "5353"\n        protocol: udp\n        mode: host\n'
          + '      - target: 443\n        host_ip: 127.0.0.1\n'
          + '      - "[::1]:7000:70"\n      - "[2001:db8::1]:7100-7102:7100-7102/udp"\n      - "127.0.0.1:6000-6005:60"\n      - "50-52"\n')}`,
      },
      files: ['compose.yaml'],
    },
    {
      name: 'network_mode: service:x, host and none',
      tree: {
        'compose.yaml': `services:\n${svc('app', '    ports: ["8080:80"]\n')}${svc('sidecar', '    network_mode: "service:app"\n')}`
          + `${svc('h', '    network_mode: host\n')}${svc('n', '    network_mode: none\n')}`,
      },
      files: ['compose.yaml'],
    },
    {
      name: 'network_mode and networks together: compose refuses',
      tree: { 'compose.yaml': `services:\n${svc('a', '    network_mode: host\n    networks: [default]\n')}` },
      files: ['compose.yaml'],
    },
    {
      name: 'an ipam.config typo (iprange for ip_range): compose\'s schema refuses it',
      tree: { 'compose.yaml': `services:\n${svc('a', '    networks: [lan]\n')}networks:\n  lan:\n    ipam:\n      config:\n        - subnet: ` +
        `172.28.0.0/16\n          iprange: 172.28.5.0/24\n` },
      files: ['compose.yaml'],
    },
    {
      name: 'an overlay naming a network its base file defines: compose refuses it alone',
      tree: { 'docker-compose.override.yml': `services:\n${svc('jigasi', '    networks:\n      meet.jitsi:\n')}` },
      files: ['docker-compose.override.yml'],
      pinned: { compose: /service "jigasi" refers to undefined network meet\.jitsi/,
        why: 'an overlay alone: the product gives undefined-network as a hint naming the base file it expects, not an error (issue 12 item 4)' },
    },
    {
      name: 'expose with host:container (compose accepts it as written)',
      tree: { 'compose.yaml': `services:\n${svc('a', '    expose: ["8000:8000", "9000-9001"]\n')}` },
      files: ['compose.yaml'],
    },
  ];
}
