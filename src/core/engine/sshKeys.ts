// Whether a private key file opens without a passphrase, read from its header only (OpenSSH's PROTOCOL.key format:
// "openssh-key-v1\0", then the cipher name, `none` when unencrypted; PEM keys say ENCRYPTED in their header). A key
// with a passphrase is left to ssh-agent: handing it to ssh2 would fail the whole connection.

const opensshBegin = '-----BEGIN OPENSSH PRIVATE KEY-----';
const magic = 'openssh-key-v1\0';

export function isUnencryptedPrivateKey(text: string): boolean {
  const start = text.indexOf(opensshBegin);
  if (start >= 0) {
    const end = text.indexOf('-----END', start + opensshBegin.length);
    if (end < 0) return false;
    const body = Buffer.from(text.slice(start + opensshBegin.length, end).replace(/\s+/g, ''), 'base64');
    if (body.toString('latin1', 0, magic.length) !== magic || body.length < magic.length + 4) return false;
    const len = body.readUInt32BE(magic.length);
    return body.toString('latin1', magic.length + 4, magic.length + 4 + len) === 'none';
  }
  if (/-----BEGIN (RSA |EC |DSA )?PRIVATE KEY-----/.test(text)) return !/Proc-Type:\s*4,ENCRYPTED/.test(text);
  // PKCS#8 `BEGIN ENCRYPTED PRIVATE KEY`, public keys, anything else
  return false;
}
