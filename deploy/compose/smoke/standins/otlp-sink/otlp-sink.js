// The compose smoke run's OpenTelemetry collector: it takes OTLP over gRPC on 4317, the way the
// services export (OTEL_EXPORTER_OTLP_PROTOCOL=grpc, HTTP/2 without TLS), answers every export
// with success, and writes one line per span it receives to /sink/spans.tsv:
//   service.name <TAB> service.instance.id <TAB> trace id (hex) <TAB> span name <TAB> motcua.dossier.code
// Metrics and logs are counted, not kept. Arguments (the collector's --config) are ignored.
'use strict';
const http2 = require('node:http2');
const fs = require('node:fs');

const spans = fs.createWriteStream('/sink/spans.tsv', { flags: 'a' });
const counts = {};

// The protobuf wire format, enough to walk OTLP: [field number, wire type, value] per field.
function* fields(buf) {
  let at = 0;
  const varint = () => {
    let value = 0n, shift = 0n, byte;
    do { byte = buf[at++]; value |= BigInt(byte & 0x7f) << shift; shift += 7n; } while (byte & 0x80);
    return value;
  };
  while (at < buf.length) {
    const key = Number(varint());
    const type = key & 7;
    if (type === 0) yield [key >> 3, type, varint()];
    else if (type === 1) { yield [key >> 3, type, buf.subarray(at, at + 8)]; at += 8; }
    else if (type === 2) { const n = Number(varint()); yield [key >> 3, type, buf.subarray(at, at + n)]; at += n; }
    else if (type === 5) { yield [key >> 3, type, buf.subarray(at, at + 4)]; at += 4; }
    else throw new Error(`wire type ${type}`);
  }
}
const all = (buf, no) => [...fields(buf)].filter(([n, t]) => n === no && t === 2).map(([, , v]) => v);
const one = (buf, no) => all(buf, no)[0];

// KeyValue { 1: key, 2: AnyValue { 1: string_value } } → { key: string }
function attributes(list) {
  const result = {};
  for (const kv of list) {
    const value = one(kv, 2);
    const text = value && one(value, 1);
    if (text) result[one(kv, 1).toString()] = text.toString();
  }
  return result;
}

// ExportTraceServiceRequest { 1: ResourceSpans { 1: Resource { 1: attributes }, 2: ScopeSpans { 2: Span } } }
// Span { 1: trace_id, 5: name, 9: attributes }
function recordTraces(request) {
  for (const resourceSpans of all(request, 1)) {
    const resource = attributes(all(one(resourceSpans, 1) ?? Buffer.alloc(0), 1));
    for (const scopeSpans of all(resourceSpans, 2)) {
      for (const span of all(scopeSpans, 2)) {
        const tags = attributes(all(span, 9));
        spans.write([resource['service.name'], resource['service.instance.id'], one(span, 1).toString('hex'),
          (one(span, 5) ?? '').toString(), tags['motcua.dossier.code'] ?? ''].join('\t') + '\n');
      }
    }
  }
}

const server = http2.createServer();
server.on('stream', (stream, headers) => {
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  stream.on('end', () => {
    const path = headers[':path'];
    counts[path] = (counts[path] ?? 0) + 1;
    // A gRPC message: 1 byte "compressed" (the services do not compress), 4 bytes length, the message.
    const body = Buffer.concat(chunks).subarray(5);
    try {
      if (path.endsWith('TraceService/Export')) recordTraces(body);
    } catch (error) {
      console.error(`could not read an export to ${path}: ${error.message}`);
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    // One uncompressed gRPC message of length 0: an empty Export…ServiceResponse.
    stream.end(Buffer.alloc(5));
  });
});

server.listen(4317, () => console.log('OTLP sink listening on 4317 (gRPC), spans to /sink/spans.tsv'));
setInterval(() => console.log(`exports so far: ${JSON.stringify(counts)}`), 60_000).unref();
// docker stop sends SIGTERM to PID 1, which Node does not end on by itself.
process.on('SIGTERM', () => spans.end(() => process.exit(0)));
