// The lines a person starting the server reads on stderr: where it listens, and why it could
// not listen. The JSON log lines on stdout say the same for machines.

/** A URL a browser on this machine can open for `host`: the wildcard addresses become localhost. */
function urlFor(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/** e.g. `histogram-service listening on http://localhost:8080 (HOST=0.0.0.0 PORT=8080)`. */
export function listeningMessage(host: string, port: number): string {
  return `histogram-service listening on ${urlFor(host, port)} (HOST=${host} PORT=${port})`;
}

/**
 * What went wrong when listening on `host`:`port` failed with `error`, and what to do: another
 * port through PORT when the port is taken or privileged, another address through HOST when the
 * address is not this machine's.
 */
export function listenErrorMessage(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `port ${port} on ${host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `histogram-service: cannot listen on ${where}: the port is already in use (another server, or an earlier one still running). Stop it, or choose another port with PORT, e.g. PORT=${port === 8080 ? 8081 : 8080} npm start`;
    case 'EACCES':
      return `histogram-service: cannot listen on ${where}: permission denied (ports below 1024 need privileges). Choose another port with PORT, e.g. PORT=8080`;
    case 'EADDRNOTAVAIL':
      return `histogram-service: cannot listen on ${where}: ${host} is not an address of this machine. Choose another with HOST, e.g. HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface)`;
    default:
      return `histogram-service: cannot listen on ${where}: ${error.message}. PORT and HOST choose where it listens`;
  }
}
