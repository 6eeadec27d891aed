import { stdin, stderr } from 'node:process';

// Reads one line from a terminal with echo off, so the password does not
// appear on screen or in the scrollback.
function readFromTerminal(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let password = '';
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');

    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(password);
    };

    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004')
          return finish();
        if (char === '\u0003') return finish(new Error('Cancelled'));
        if (char === '\u007f' || char === '\b')
          password = password.slice(0, -1);
        else password += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Reads a password from standard input: typed without echo on a terminal,
 * or the first line of piped input (`printf '%s\n' "$PASSWORD" | ...`).
 */
export async function readPassword(prompt: string): Promise<string> {
  if (stdin.isTTY) return readFromTerminal(prompt);
  return readFirstLine();
}
