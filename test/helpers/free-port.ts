// A TCP port on 127.0.0.1 that was free a moment ago, for servers a test starts on a known port
// (and, unused, as a port where nothing listens): the same helper cluster:local uses.
export { freePort } from '../../scripts/cluster-local/free-port.ts';
