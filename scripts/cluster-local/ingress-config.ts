// The Ingress as ingress-nginx would configure nginx, from the rendered objects: one server block
// per rule host, one location per path, the backend Service's port resolved through its
// targetPort to the ready pods' published ports (the Service's endpoints), and the
// `nginx.ingress.kubernetes.io/*` annotations turned into their nginx directives. Pure: objects in,
// nginx.conf text out.
import { type K8sObject, type Pod, selects } from './manifests.ts';

/** A played pod as the endpoints controller sees it. */
export interface EndpointPod {
  pod: Pod;
  ready: boolean;
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

interface IngressPath {
  path?: string;
  pathType?: string;
  backend: { service?: { name: string; port: { name?: string; number?: number } } };
}

// ingress-nginx annotation → nginx directive (values in seconds for the timeouts).
const ANNOTATIONS: Record<string, (v: string) => string> = {
  'proxy-body-size': (v) => `client_max_body_size ${v};`,
  'proxy-connect-timeout': (v) => `proxy_connect_timeout ${v}s;`,
  'proxy-read-timeout': (v) => `proxy_read_timeout ${v}s;`,
  'proxy-send-timeout': (v) => `proxy_send_timeout ${v}s;`,
  'proxy-request-buffering': (v) => `proxy_request_buffering ${v};`,
  'proxy-buffering': (v) => `proxy_buffering ${v};`,
};
const PREFIX = 'nginx.ingress.kubernetes.io/';

/** The ingress-nginx annotations of `ingress` this translation does not apply (for the run's log). */
export function untranslatedAnnotations(ingress: K8sObject): string[] {
  return Object.keys(ingress.metadata.annotations ?? {}).filter((k) => !(k.startsWith(PREFIX) && k.slice(PREFIX.length) in ANNOTATIONS));
}

/**
 * The addresses (127.0.0.1:hostPort) behind `servicePort` of `service`: the ready pods its
 * selector matches, at the host port that publishes the port its targetPort names.
 * @throws when the Service has no such port.
 */
export function serviceEndpoints(service: K8sObject, port: { name?: string; number?: number }, pods: readonly EndpointPod[]): string[] {
  const spec = service.spec as { selector?: Record<string, string>; ports?: ServicePort[] };
  const sp = spec.ports?.find((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
  if (!sp) throw new Error(`Service ${service.metadata.name} has no port ${port.name ?? port.number}`);
  const target = sp.targetPort ?? sp.port;
  const addresses: string[] = [];
  for (const { pod, ready } of pods) {
    if (!ready || !selects(spec.selector, pod.metadata.labels)) continue;
    for (const c of pod.spec.containers) {
      const cp = c.ports?.find((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target));
      if (cp?.hostPort) addresses.push(`${cp.hostIP ?? '127.0.0.1'}:${cp.hostPort}`);
    }
  }
  return addresses;
}

function location(path: IngressPath): string {
  const p = path.path ?? '/';
  if (path.pathType === 'Exact') return `= ${p}`;
  // Prefix matches whole path elements: /api matches /api and /api/x, not /apix.
  if (path.pathType === 'Prefix' && p !== '/') return `~ ^${p.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`;
  return p;
}

export interface NginxConfigInput {
  ingress: K8sObject;
  services: readonly K8sObject[];
  pods: readonly EndpointPod[];
  /** Port nginx listens on, on 127.0.0.1. */
  port: number;
  /** Folder for nginx's pid, logs and temporary files. */
  workDir: string;
}

/**
 * nginx.conf for the Ingress. A backend without ready endpoints answers 503, as ingress-nginx
 * does; a request for another host gets the default server's 404.
 * @throws when a path's backend names a Service or port the rendering does not have.
 */
export function nginxConfig(o: NginxConfigInput): string {
  const annotations = o.ingress.metadata.annotations ?? {};
  const directives = Object.entries(annotations)
    .filter(([k]) => k.startsWith(PREFIX) && k.slice(PREFIX.length) in ANNOTATIONS)
    .map(([k, v]) => ANNOTATIONS[k.slice(PREFIX.length)]!(String(v)));
  const rules = ((o.ingress.spec as { rules?: { host?: string; http?: { paths: IngressPath[] } }[] }).rules ?? []).filter((r) => r.http);
  const upstreams = new Map<string, string[]>();
  const servers = rules.map((rule) => {
    const locations = rule.http!.paths.map((path) => {
      const backend = path.backend.service;
      if (!backend) throw new Error(`Ingress ${o.ingress.metadata.name}: only Service backends are played`);
      const service = o.services.find((s) => s.metadata.name === backend.name);
      if (!service) throw new Error(`Ingress ${o.ingress.metadata.name}: no Service ${backend.name} in the rendered manifests`);
      const name = `${service.metadata.namespace ?? 'default'}-${backend.name}-${backend.port.name ?? backend.port.number}`;
      upstreams.set(name, serviceEndpoints(service, backend.port, o.pods));
      const body = upstreams.get(name)!.length
        ? [`proxy_pass http://${name};`, 'proxy_http_version 1.1;', 'proxy_set_header Connection "";', 'proxy_set_header Host $host;']
        : ['return 503;'];
      return `    location ${location(path)} {\n${body.map((l) => `      ${l}`).join('\n')}\n    }`;
    });
    return [
      '  server {',
      `    listen 127.0.0.1:${o.port};`,
      `    server_name ${rule.host ?? '_'};`,
      ...directives.map((d) => `    ${d}`),
      ...locations,
      '  }',
    ].join('\n');
  });
  const upstreamBlocks = [...upstreams]
    .filter(([, addresses]) => addresses.length > 0)
    // Kept-alive HTTP/1.1 connections to the endpoints, as ingress-nginx keeps them.
    .map(([name, addresses]) => `  upstream ${name} {\n${addresses.map((a) => `    server ${a};`).join('\n')}\n    keepalive 32;\n  }`);
  const w = o.workDir;
  return `worker_processes 1;
pid ${w}/nginx.pid;
error_log ${w}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${w}/client_body;
  proxy_temp_path ${w}/proxy;
  fastcgi_temp_path ${w}/fastcgi;
  uwsgi_temp_path ${w}/uwsgi;
  scgi_temp_path ${w}/scgi;
${upstreamBlocks.join('\n')}
  # Another host: ingress-nginx's default backend answers 404.
  server {
    listen 127.0.0.1:${o.port} default_server;
    return 404;
  }
${servers.join('\n')}
}
`;
}
