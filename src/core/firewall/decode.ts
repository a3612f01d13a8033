// Bytes of a saved dump to text. Most are UTF-8; Windows PowerShell 5's `>` writes UTF-16LE with a byte order mark
// (`ssh host sudo iptables-save > dump.txt`), which read as UTF-8 is a NUL between every character.
export interface DecodedDump {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
}

/** Decodes by the byte order mark (UTF-8, UTF-16LE, UTF-16BE); UTF-8 without one. */
export function decodeDump(bytes: Uint8Array): DecodedDump {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    // swapped into little-endian order: TextDecoder's utf-16be needs an ICU that not every Node build has
    const swapped = new Uint8Array(bytes.length - 2 - (bytes.length % 2));
    for (let i = 0; i < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3]!;
      swapped[i + 1] = bytes[i + 2]!;
    }
    return { text: new TextDecoder('utf-16le').decode(swapped), encoding: 'utf-16be' };
  }
  // TextDecoder drops a UTF-8 byte order mark itself
  return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
}
