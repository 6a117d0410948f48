// Prometheus metrics (prom-client): one registry per app so tests can build several apps.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AdmissionStats } from './http/admission.ts';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status' | 'format'>;
  duration: Histogram<'route' | 'format'>;
  stage: Histogram<'stage'>;
  uploadBytes: Histogram;
  decodedPixels: Counter;
  errors: Counter<'code' | 'status'>;
  protocolErrors: Counter<'code' | 'status'>;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the registry with the service's metrics and Node's default process metrics. */
export function createMetrics(admission: () => AdmissionStats): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const prefix = 'histogram_';
  new Gauge({
    name: `${prefix}in_flight_requests`,
    help: 'Images being processed now',
    registers: [registry],
    collect() {
      this.set(admission().inFlight);
    },
  });
  new Gauge({
    name: `${prefix}queued_requests`,
    help: 'Admitted requests waiting for a processing slot (or still uploading)',
    registers: [registry],
    collect() {
      this.set(admission().queued);
    },
  });
  new Gauge({
    name: `${prefix}waiting_requests`,
    help: 'Requests held with their body unread until the queue has room',
    registers: [registry],
    collect() {
      this.set(admission().waiting);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered',
      labelNames: ['route', 'method', 'status', 'format'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response headers',
      labelNames: ['route', 'format'],
      buckets: SECONDS,
      registers: [registry],
    }),
    stage: new Histogram({
      name: `${prefix}stage_duration_seconds`,
      help: 'Time spent per processing stage (body, queue, decode, count, render)',
      labelNames: ['stage'],
      buckets: SECONDS,
      registers: [registry],
    }),
    uploadBytes: new Histogram({
      name: `${prefix}upload_bytes`,
      help: 'Size of uploaded images',
      buckets: [1e3, 1e4, 1e5, 1e6, 5e6, 1e7, 2.5e7, 5e7],
      registers: [registry],
    }),
    decodedPixels: new Counter({ name: `${prefix}decoded_pixels_total`, help: 'Pixels decoded', registers: [registry] }),
    errors: new Counter({
      name: `${prefix}errors_total`,
      help: 'Error responses by code (413, 415, 422, 503, 504, …)',
      labelNames: ['code', 'status'],
      registers: [registry],
    }),
    protocolErrors: new Counter({
      name: `${prefix}protocol_errors_total`,
      help: 'Connections answered before a request could be parsed (bad framing, header timeout, headers too large), by Node error code',
      labelNames: ['code', 'status'],
      registers: [registry],
    }),
  };
}
