// Offline check of MotCua's Kubernetes manifests: no cluster, no network.
//
//   node check.mjs [DIR]           DIR holds kustomization.yaml (default: ../base)
//   node check.mjs --built FILE    the output of `kubectl kustomize` (check.sh passes it)
//
// Source mode reads DIR/kustomization.yaml, loads every listed resource, synthesizes the ConfigMaps
// and Secrets of its generators (a secretGenerator's X.env is read from X.env.example, the committed
// template, so CI needs no secrets), then checks every document:
//   1. against the schema of its kubernetes-models class (new Deployment(obj).validate() etc.);
//      a kind that kubernetes-models does not know is a failure;
//   2. for fields the schema does not know (typos such as `readinessprobe`): the models accept
//      any extra field, so the check records which fields the schema validator reads and reports
//      the others;
//   3. cross-references and the platform's rules (see checkReferences and checkPolicies below).
// Built mode applies 1-3 to what kustomize produced (hash-suffixed names, images, labels).
//
// Prints one line per document and a summary; exits 1 on any problem, 2 if it could not run.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Problems and documents

/** Problems not tied to one document (the kustomization, generator files). */
const general = [];

/** @typedef {{obj: any, source: string, problems: string[]}} Doc */
/** @type {Doc[]} */
const docs = [];

const id = (doc) => `${doc.obj?.apiVersion ?? "?"}/${doc.obj?.kind ?? "?"} ${doc.obj?.metadata?.name ?? "(no name)"}`;

// Kinds without a namespace (only those a manifest of this kind could plausibly contain).
const clusterScoped = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "IngressClass",
  "PriorityClass", "CustomResourceDefinition", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
]);

// ---------------------------------------------------------------------------------------------
// Loading

/** YAML 1.1, like Kubernetes and kustomize: `yes`, `on` and `off` are booleans there, not strings. */
function parseYaml(text, source, onProblem) {
  const out = [];
  for (const document of YAML.parseAllDocuments(text, { version: "1.1", uniqueKeys: true })) {
    for (const error of document.errors) onProblem(`${source}: YAML error: ${error.message.split("\n")[0]}`);
    if (document.errors.length) continue;
    const value = document.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/**
 * A kustomize env file: KEY=VALUE lines, `#` comments, blank lines. With secret = true a malformed
 * line is reported by its number only, never by its text.
 */
function parseEnvFile(file, secret = false) {
  const data = {};
  const problems = [];
  const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, i) => {
    const where = `${path.basename(file)}:${i + 1}`;
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq < 0) {
      // kustomize would take the value from the environment of whoever runs it: not reproducible.
      problems.push(`${where}: ${secret ? "line" : `"${line.trim()}"`} has no "=VALUE"`);
      return;
    }
    const key = line.slice(0, eq).trim();
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) problems.push(`${where}: ${secret ? "the key" : `"${key}"`} is not a valid ConfigMap/Secret key`);
    else if (key in data) problems.push(`${where}: key ${key} appears twice`);
    else data[key] = line.slice(eq + 1);
  });
  return { data, problems };
}

const kustomizationFields = new Set([
  "apiVersion", "kind", "namespace", "labels", "resources", "configMapGenerator", "secretGenerator", "images",
]);

/** Loads DIR/kustomization.yaml and what it lists; returns what the later checks need from it. */
function loadKustomization(dir) {
  const file = path.join(dir, "kustomization.yaml");
  if (!fs.existsSync(file)) throw new Error(`${file} not found`);
  const [k] = parseYaml(fs.readFileSync(file, "utf8"), "kustomization.yaml", (p) => general.push(p));
  if (!k) throw new Error(`${file} is empty or not valid YAML`);

  // This check re-implements a small part of kustomize; a field it does not implement would make it
  // check something other than what kustomize builds, so it refuses rather than guesses.
  for (const field of Object.keys(k)) {
    if (!kustomizationFields.has(field)) general.push(`kustomization.yaml: field "${field}" is not understood by the check; teach check.mjs first`);
  }
  if (k.kind !== "Kustomization") general.push(`kustomization.yaml: kind is ${k.kind}, expected Kustomization`);

  for (const entry of k.resources ?? []) {
    const target = path.join(dir, entry);
    if (/^[a-z]+:\/\//i.test(entry) || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
      general.push(`kustomization.yaml: resource "${entry}" is not a file in ${path.basename(dir)}/ (remote and directory resources are not supported by the check)`);
      continue;
    }
    const objects = parseYaml(fs.readFileSync(target, "utf8"), entry, (p) => general.push(p));
    objects.forEach((obj, i) => docs.push({ obj, source: objects.length > 1 ? `${entry}#${i + 1}` : entry, problems: [] }));
  }

  const generate = (generators, kind) => {
    for (const g of generators ?? []) {
      const data = {};
      const put = (key, value, where) => {
        if (key in data) general.push(`${kind} generator ${g.name}: key ${key} given twice (${where})`);
        data[key] = value;
      };
      for (const envs of g.envs ?? []) {
        let file = path.join(dir, envs);
        if (kind === "Secret") {
          // The real file is git-ignored; the committed template stands in for it.
          const example = `${file}.example`;
          if (!fs.existsSync(example)) {
            general.push(`Secret generator ${g.name}: ${envs}.example is missing (it documents every key of ${envs})`);
            continue;
          }
          if (fs.existsSync(file)) compareWithExample(file, example);
          file = example;
        }
        if (!fs.existsSync(file)) {
          general.push(`${kind} generator ${g.name}: ${path.relative(dir, file)} not found`);
          continue;
        }
        const parsed = parseEnvFile(file);
        general.push(...parsed.problems);
        for (const [key, value] of Object.entries(parsed.data)) put(key, value, path.basename(file));
      }
      for (const literal of g.literals ?? []) {
        const eq = String(literal).indexOf("=");
        if (eq < 0) general.push(`${kind} generator ${g.name}: literal "${literal}" has no "="`);
        else put(String(literal).slice(0, eq), String(literal).slice(eq + 1), "literals");
      }
      for (const entry of g.files ?? []) {
        const [key, rel] = String(entry).includes("=") ? String(entry).split("=", 2) : [path.basename(String(entry)), String(entry)];
        const file = path.join(dir, rel);
        if (!fs.existsSync(file)) general.push(`${kind} generator ${g.name}: file ${rel} not found`);
        else put(key, fs.readFileSync(file, "utf8"), rel);
      }
      const unknown = Object.keys(g).filter((f) => !["name", "type", "envs", "literals", "files", "behavior"].includes(f));
      if (unknown.length) general.push(`${kind} generator ${g.name}: field(s) ${unknown.join(", ")} not understood by the check`);
      const obj = { apiVersion: "v1", kind, metadata: { name: g.name } };
      if (kind === "Secret") {
        obj.type = g.type ?? "Opaque";
        obj.data = Object.fromEntries(Object.entries(data).map(([key, v]) => [key, Buffer.from(v).toString("base64")]));
      } else {
        obj.data = data;
      }
      docs.push({ obj, source: `${kind === "Secret" ? "secretGenerator" : "configMapGenerator"} ${g.name}`, problems: [] });
    }
  };
  generate(k.configMapGenerator, "ConfigMap");
  generate(k.secretGenerator, "Secret");

  // What kustomize does to every document, as far as the later checks can see it.
  for (const doc of docs) {
    if (!doc.obj || typeof doc.obj !== "object") continue;
    if (k.namespace && !clusterScoped.has(doc.obj.kind)) {
      doc.obj.metadata ??= {};
      doc.obj.metadata.namespace = k.namespace;
    }
    for (const set of k.labels ?? []) {
      if (set.includeSelectors) {
        general.push("kustomization.yaml: labels with includeSelectors: true are not understood by the check");
        continue;
      }
      if (doc.obj.metadata) doc.obj.metadata.labels = { ...doc.obj.metadata.labels, ...set.pairs };
      const template = podTemplate(doc.obj);
      if (set.includeTemplates && template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...set.pairs } };
    }
  }
  return { images: k.images ?? [] };
}

/** A local secrets.env next to its template: same keys, or a Deployment will miss one. */
function compareWithExample(real, example) {
  const a = parseEnvFile(real, true);
  const b = parseEnvFile(example);
  general.push(...a.problems);
  for (const key of Object.keys(b.data)) {
    if (!(key in a.data)) general.push(`${path.basename(real)} lacks ${key}, which ${path.basename(example)} documents`);
  }
  for (const key of Object.keys(a.data)) {
    if (!(key in b.data)) general.push(`${path.basename(real)} has ${key}, which ${path.basename(example)} does not document`);
  }
}

function loadBuilt(file) {
  const objects = parseYaml(fs.readFileSync(file, "utf8"), path.basename(file), (p) => general.push(p));
  for (const obj of objects) {
    // kustomize folds long base64 values over several lines. The API server's decoder skips the line
    // breaks; the schema's "byte" format does not, so join them before validating.
    if (obj?.kind === "Secret" && obj.data && typeof obj.data === "object") {
      for (const [key, value] of Object.entries(obj.data)) if (typeof value === "string") obj.data[key] = value.replace(/[\r\n]/g, "");
    }
  }
  objects.forEach((obj, i) => docs.push({ obj, source: `built#${i + 1}`, problems: [] }));
}

// ---------------------------------------------------------------------------------------------
// 1 and 2: schema and unknown fields

/** The kubernetes-models class for apiVersion + kind, or null when it has none. */
async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (!/^([a-z0-9.-]+\/)?v[0-9]+[a-z0-9]*$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return null;
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    const cls = module[kind];
    // Only top-level resources carry their apiVersion and kind (DeploymentSpec does not).
    return cls && cls.apiVersion === apiVersion && cls.kind === kind ? cls : null;
  } catch {
    return null;
  }
}

/**
 * Runs the model's validator on a proxy of obj that records, for every object in it, which keys the
 * validator looked at and whether it enumerated the keys (maps such as labels). A key never looked at
 * is not in the schema. Objects the validator never entered (free-form fields) are not judged.
 */
function unknownFields(cls, obj) {
  const seen = new Map();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    const info = { read: new Set(), enumerated: false };
    seen.set(value, info);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === "string") info.read.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === "string") info.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        info.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    cls.prototype.validate.call(wrap(obj));
  } catch {
    // Schema errors are reported by the plain validate() call.
  }
  const unknown = [];
  const walk = (value, at) => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`));
      return;
    }
    const info = seen.get(value);
    if (!info || info.enumerated || info.read.size === 0) return;
    for (const key of Object.keys(value)) {
      if (info.read.has(key)) walk(value[key], at ? `${at}.${key}` : key);
      else unknown.push(at ? `${at}.${key}` : key);
    }
  };
  walk(obj, "");
  return unknown;
}

async function checkSchemas() {
  for (const doc of docs) {
    const { obj } = doc;
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) {
      doc.problems.push("not a Kubernetes object (a YAML mapping with apiVersion and kind)");
      continue;
    }
    const cls = await modelClass(obj.apiVersion, obj.kind);
    if (!cls) {
      doc.problems.push(`unknown kind: kubernetes-models has no ${obj.apiVersion}/${obj.kind}`);
      continue;
    }
    try {
      new cls(obj).validate();
    } catch (error) {
      for (const message of String(error.message).split(", data")) doc.problems.push(`schema: ${message.startsWith("data") ? message : "data" + message}`);
      continue;
    }
    for (const field of unknownFields(cls, obj)) doc.problems.push(`schema: unknown field ${field}`);
    if (!obj.metadata?.name) doc.problems.push("metadata.name is missing");
  }
  // Two objects of one kind and name in one namespace: the second silently replaces the first.
  const byKey = new Map();
  for (const doc of docs) {
    const key = `${doc.obj?.kind}/${doc.obj?.metadata?.namespace ?? ""}/${doc.obj?.metadata?.name}`;
    if (byKey.has(key)) doc.problems.push(`same kind and name as ${byKey.get(key).source}`);
    else byKey.set(key, doc);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for the cross-references

function podTemplate(obj) {
  switch (obj?.kind) {
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job":
      return obj.spec?.template;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

const ns = (obj) => (clusterScoped.has(obj?.kind) ? "" : obj?.metadata?.namespace ?? "default");
const find = (kind, namespace, name) => docs.find((d) => d.obj?.kind === kind && ns(d.obj) === namespace && d.obj?.metadata?.name === name);
const workloads = () => docs.filter((d) => podTemplate(d.obj));
const deployments = () => docs.filter((d) => d.obj?.kind === "Deployment");
const podLabels = (doc) => podTemplate(doc.obj)?.metadata?.labels ?? {};
const containersOf = (doc) => {
  const spec = podTemplate(doc.obj)?.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
};
const show = (labels) => `{${Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(", ")}}`;

/** A LabelSelector (matchLabels + matchExpressions) or, with plain = true, a Service's map. */
function selects(selector, labels, plain = false) {
  if (!selector) return false;
  const matchLabels = plain ? selector : selector.matchLabels ?? {};
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const e of plain ? [] : selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values?.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values?.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
const isEmptySelector = (s) => !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

/** A named or numbered port declared by the container(s). */
function declaresPort(containers, port) {
  const ports = containers.flatMap((c) => c.ports ?? []);
  return typeof port === "string" ? ports.some((p) => p.name === port) : ports.some((p) => p.containerPort === port);
}

/** Kubernetes quantities in base units (cores, bytes). */
function quantity(q) {
  const m = /^([+-]?[0-9]*\.?[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$/.exec(String(q));
  if (!m) return NaN;
  const factor = {
    m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  }[m[2] ?? ""] ?? (m[2] ? 10 ** Number(m[2].slice(1)) : 1);
  return Number(m[1]) * factor;
}

/** Keys of a ConfigMap or Secret document. */
function keysOf(doc) {
  const o = doc.obj;
  return new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {}), ...Object.keys(o.stringData ?? {})]);
}

// ---------------------------------------------------------------------------------------------
// 3a. Cross-references: every name that points somewhere points at something that exists

function checkReferences() {
  for (const doc of workloads()) {
    const { obj } = doc;
    const namespace = ns(obj);
    const template = podTemplate(obj);
    const spec = template?.spec ?? {};

    if (obj.kind !== "CronJob" && obj.kind !== "Job" && !isEmptySelector(obj.spec?.selector) && !selects(obj.spec.selector, podLabels(doc))) {
      doc.problems.push(`selector ${show(obj.spec.selector.matchLabels)} does not match its own pod labels ${show(podLabels(doc))}`);
    }

    const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
    for (const v of spec.volumes ?? []) {
      const ref = v.configMap ? ["ConfigMap", v.configMap.name, v.configMap] : v.secret ? ["Secret", v.secret.secretName, v.secret] : null;
      if (!ref) continue;
      const [kind, name, source] = ref;
      const target = find(kind, namespace, name);
      if (!target) {
        if (!source.optional) doc.problems.push(`volume ${v.name}: ${kind} ${name} does not exist`);
        continue;
      }
      for (const item of source.items ?? []) {
        if (!keysOf(target).has(item.key)) doc.problems.push(`volume ${v.name}: ${kind} ${name} has no key ${item.key}`);
      }
    }

    for (const c of containersOf(doc)) {
      const where = `container ${c.name}`;
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name)) doc.problems.push(`${where}: volumeMount ${m.name} names no volume of the pod`);
      }

      // Probes must aim at a port the container declares.
      for (const probeName of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const probe = c[probeName];
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
        if (probe && port !== undefined && !declaresPort([c], port)) {
          doc.problems.push(`${where}: ${probeName} port ${JSON.stringify(port)} is not a declared container port`);
        }
      }

      // envFrom, then env in order: that is the order in which $(VAR) can see variables.
      const defined = new Set();
      for (const from of c.envFrom ?? []) {
        const [kind, ref] = from.configMapRef ? ["ConfigMap", from.configMapRef] : ["Secret", from.secretRef];
        const target = ref && find(kind, namespace, ref.name);
        if (!target && !ref?.optional) doc.problems.push(`${where}: envFrom ${kind} ${ref?.name} does not exist`);
        if (target) for (const key of keysOf(target)) defined.add((from.prefix ?? "") + key);
      }
      const names = new Set();
      for (const e of c.env ?? []) {
        if (names.has(e.name)) doc.problems.push(`${where}: env ${e.name} is set twice (the last one wins)`);
        names.add(e.name);
        const keyRef = e.valueFrom?.configMapKeyRef ? ["ConfigMap", e.valueFrom.configMapKeyRef] : e.valueFrom?.secretKeyRef ? ["Secret", e.valueFrom.secretKeyRef] : null;
        if (keyRef) {
          const [kind, ref] = keyRef;
          const target = find(kind, namespace, ref.name);
          // Even an optional reference must point at a documented key: optional only spares
          // installations that leave the key out of their own file.
          if (!target) doc.problems.push(`${where}: env ${e.name}: ${kind} ${ref.name} does not exist`);
          else if (!keysOf(target).has(ref.key)) doc.problems.push(`${where}: env ${e.name}: ${kind} ${ref.name} has no key ${ref.key}`);
        }
        // Kubernetes expands $(VAR) only for variables defined before; otherwise the text stays as is.
        for (const [, variable] of String(e.value ?? "").matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)) {
          if (!defined.has(variable)) doc.problems.push(`${where}: env ${e.name} refers to $(${variable}), which is not defined before it`);
        }
        defined.add(e.name);
      }
    }
  }

  for (const doc of docs) {
    const { obj } = doc;
    const namespace = ns(obj);
    switch (obj?.kind) {
      case "Service": {
        if (obj.spec?.type === "ExternalName" || !obj.spec?.selector) break;
        const matched = workloads().filter((w) => ns(w.obj) === namespace && selects(obj.spec.selector, podLabels(w), true));
        if (matched.length === 0) {
          doc.problems.push(`selector ${show(obj.spec.selector)} matches no workload's pod labels`);
          break;
        }
        if (matched.length > 1) doc.problems.push(`selector ${show(obj.spec.selector)} matches the pods of ${matched.map(id).join(" and ")}`);
        for (const port of obj.spec.ports ?? []) {
          const target = port.targetPort ?? port.port;
          for (const w of matched) {
            if (!declaresPort(containersOf(w), target)) doc.problems.push(`port ${port.name ?? port.port}: targetPort ${JSON.stringify(target)} is not a container port of ${id(w)}`);
          }
        }
        break;
      }
      case "HorizontalPodAutoscaler": {
        const ref = obj.spec?.scaleTargetRef ?? {};
        const target = find(ref.kind, namespace, ref.name);
        if (!target || !podTemplate(target.obj)) {
          doc.problems.push(`scaleTargetRef ${ref.kind}/${ref.name} names no workload of this namespace`);
          break;
        }
        if (ref.apiVersion && ref.apiVersion !== target.obj.apiVersion) doc.problems.push(`scaleTargetRef apiVersion ${ref.apiVersion}, but ${ref.name} is ${target.obj.apiVersion}`);
        if ((obj.spec.minReplicas ?? 1) > obj.spec.maxReplicas) doc.problems.push(`minReplicas ${obj.spec.minReplicas} is above maxReplicas ${obj.spec.maxReplicas}`);
        // Utilization is measured against requests; without them the HPA cannot compute it.
        for (const metric of obj.spec.metrics ?? []) {
          const resource = metric.type === "Resource" ? metric.resource : metric.type === "ContainerResource" ? metric.containerResource : null;
          if (resource?.target?.type !== "Utilization") continue;
          for (const c of podTemplate(target.obj).spec?.containers ?? []) {
            if (metric.type === "ContainerResource" && c.name !== resource.container) continue;
            if (!c.resources?.requests?.[resource.name]) doc.problems.push(`${resource.name} utilization target, but container ${c.name} of ${ref.name} requests no ${resource.name}`);
          }
        }
        if (target.obj.spec?.replicas !== undefined) target.problems.push(`sets spec.replicas while HorizontalPodAutoscaler ${obj.metadata?.name} scales it: every apply would reset the count`);
        break;
      }
      case "PodDisruptionBudget": {
        const matched = workloads().filter((w) => ns(w.obj) === namespace && selects(obj.spec?.selector, podLabels(w)));
        if (isEmptySelector(obj.spec?.selector) || matched.length === 0) doc.problems.push(`selector ${show(obj.spec?.selector?.matchLabels)} matches no workload's pod labels`);
        break;
      }
      case "NetworkPolicy": {
        const selected = workloads().filter((w) => ns(w.obj) === namespace && selects(obj.spec?.podSelector, podLabels(w)));
        if (!isEmptySelector(obj.spec?.podSelector) && selected.length === 0) doc.problems.push(`podSelector ${show(obj.spec.podSelector.matchLabels)} matches no workload's pod labels`);
        for (const rule of obj.spec?.ingress ?? []) {
          for (const peer of rule.from ?? []) {
            // A peer with a namespaceSelector may select pods elsewhere: not judged.
            if (peer.podSelector && !peer.namespaceSelector && !isEmptySelector(peer.podSelector)
              && !workloads().some((w) => ns(w.obj) === namespace && selects(peer.podSelector, podLabels(w)))) {
              doc.problems.push(`ingress from podSelector ${show(peer.podSelector.matchLabels)} matches no workload's pod labels`);
            }
          }
          for (const port of rule.ports ?? []) {
            if (port.port === undefined) continue;
            for (const w of selected) {
              if (!declaresPort(containersOf(w), port.port)) doc.problems.push(`ingress port ${JSON.stringify(port.port)} is not a container port of ${id(w)}`);
            }
          }
        }
        break;
      }
      case "Ingress": {
        const backends = [obj.spec?.defaultBackend, ...(obj.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
        for (const backend of backends.filter((b) => b?.service)) {
          const svc = find("Service", namespace, backend.service.name);
          if (!svc) {
            doc.problems.push(`backend Service ${backend.service.name} does not exist`);
            continue;
          }
          const { name, number } = backend.service.port ?? {};
          const ok = (svc.obj.spec?.ports ?? []).some((p) => (name !== undefined ? p.name === name : p.port === number));
          if (!ok) doc.problems.push(`backend port ${name ?? number} is not a port of Service ${backend.service.name}`);
        }
        break;
      }
      default:
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3b. The platform's rules for its pods (deploy/k8s/README.md explains each)

function checkPolicies(images) {
  for (const doc of workloads()) {
    const spec = podTemplate(doc.obj)?.spec ?? {};
    const podSecurity = spec.securityContext ?? {};
    const mounts = (c) => new Set((c.volumeMounts ?? []).map((m) => m.mountPath));
    for (const c of spec.containers ?? []) {
      const where = `container ${c.name}`;
      if (!c.livenessProbe) doc.problems.push(`${where}: no livenessProbe`);
      if (!c.readinessProbe) doc.problems.push(`${where}: no readinessProbe`);
      const { requests = {}, limits = {} } = c.resources ?? {};
      for (const r of ["cpu", "memory"]) {
        if (requests[r] === undefined) doc.problems.push(`${where}: no resources.requests.${r}`);
        if (limits[r] === undefined) doc.problems.push(`${where}: no resources.limits.${r}`);
        if (requests[r] !== undefined && limits[r] !== undefined && quantity(requests[r]) > quantity(limits[r])) {
          doc.problems.push(`${where}: requests.${r} ${requests[r]} is above limits.${r} ${limits[r]}`);
        }
      }
      const security = c.securityContext ?? {};
      if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) doc.problems.push(`${where}: runAsNonRoot is not true`);
      if (security.allowPrivilegeEscalation !== false) doc.problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (security.readOnlyRootFilesystem !== true) doc.problems.push(`${where}: readOnlyRootFilesystem is not true`);
      else if (!mounts(c).has("/tmp")) doc.problems.push(`${where}: read-only root filesystem but no volume at /tmp (.NET writes its diagnostics socket there)`);
      if (!(security.capabilities?.drop ?? []).includes("ALL")) doc.problems.push(`${where}: capabilities.drop does not include ALL`);
    }
  }

  // Every Deployment scales with an HPA (at least 2 replicas) and has a disruption budget.
  for (const doc of deployments()) {
    const namespace = ns(doc.obj);
    const hpas = docs.filter((d) => d.obj?.kind === "HorizontalPodAutoscaler" && ns(d.obj) === namespace
      && d.obj.spec?.scaleTargetRef?.kind === "Deployment" && d.obj.spec?.scaleTargetRef?.name === doc.obj.metadata?.name);
    if (hpas.length !== 1) doc.problems.push(`${hpas.length} HorizontalPodAutoscalers scale it; expected exactly 1`);
    for (const hpa of hpas) {
      if ((hpa.obj.spec?.minReplicas ?? 1) < 2) hpa.problems.push(`minReplicas ${hpa.obj.spec?.minReplicas ?? 1}: at least 2, so a pod can be lost or moved without an outage`);
    }
    const pdbs = docs.filter((d) => d.obj?.kind === "PodDisruptionBudget" && ns(d.obj) === namespace && selects(d.obj.spec?.selector, podLabels(doc)));
    if (pdbs.length !== 1) doc.problems.push(`${pdbs.length} PodDisruptionBudgets select its pods; expected exactly 1`);
  }

  // Source mode: every image is pinned through kustomization `images`, and every entry there is used.
  if (images) {
    const bare = (image) => String(image).replace(/@.*$/, "").replace(/:[^/:]*$/, "");
    const used = new Set();
    for (const doc of workloads()) {
      for (const c of containersOf(doc)) {
        used.add(bare(c.image));
        if (!images.some((i) => i.name === bare(c.image))) doc.problems.push(`container ${c.name}: image ${c.image} has no entry in kustomization images (tags are set there)`);
      }
    }
    for (const entry of images) {
      if (!used.has(entry.name)) general.push(`kustomization.yaml: images entry ${entry.name} matches no container image`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  let images = null;
  let title;
  if (args[0] === "--built") {
    if (!args[1]) throw new Error("--built needs a file");
    loadBuilt(args[1]);
    title = `kustomize output ${args[1]}`;
  } else {
    const dir = path.resolve(args[0] ?? path.join(here, "..", "base"));
    ({ images } = loadKustomization(dir));
    title = `${path.relative(process.cwd(), path.join(dir, "kustomization.yaml")) || "kustomization.yaml"}`;
  }
  console.log(`Checking ${title}`);
  await checkSchemas();
  checkReferences();
  checkPolicies(images);

  const width = Math.max(...docs.map((d) => id(d).length), 20);
  for (const doc of docs) {
    console.log(`${doc.problems.length ? "FAIL" : "ok  "}  ${id(doc).padEnd(width)}  ${doc.source}`);
    for (const problem of doc.problems) console.log(`        - ${problem}`);
  }
  for (const problem of general) console.log(`FAIL  ${problem}`);

  const failed = docs.filter((d) => d.problems.length).length;
  const problems = docs.reduce((n, d) => n + d.problems.length, 0) + general.length;
  console.log(`${docs.length} documents checked, ${failed} failed; ${problems} problem${problems === 1 ? "" : "s"} in all`
    + (general.length ? `, ${general.length} outside the documents` : ""));
  // The closing line in the form CI runners read: each document, and each problem outside the
  // documents, counts as one.
  console.log(`check: ${docs.length - failed} passed, ${failed + general.length} failed`);
  process.exitCode = problems ? 1 : 0;
}

main().catch((error) => {
  console.error(`check.mjs could not run: ${error.message}`);
  process.exitCode = 2;
});
