import { ApiError, documentUrl, request, type Claims } from "./api";
import { dateTime, escape } from "./format";
import { signIn, signOutButton } from "./login";
import "./styles.css";

interface Procedure { code: string; name: string }
interface Official { id: string; fullName: string; roles: string[] }
interface Rule { action: string; label: string; from: string[]; roles: string[]; needsReason: boolean }
interface Status { status: string; label: string }
interface Channel { channel: string; label: string }
interface Receipt { title: string; code: string; agencyCode: string; applicantName: string; procedureName: string; papers: string[];
  statutoryTime: string; receivedAt: string; appointment: string | null }
interface Dossier { code: string; status: string; portalStatus: string; version: number; receipt?: Receipt }
interface DraftLetter { code: string; procedureName: string; apology: { number: string; reason: string; responsibleStep: string;
  previousDueAt: string; newDueAt: string } }
interface QueueItem { code: string; status: string; procedureName: string | null; procedureCode: string; applicantName: string; dueAt: string | null;
  newDueAt: string | null; currentStep: string | null; version: number }

const main = document.querySelector<HTMLElement>("#main")!;
// The words for statuses and actions come from the Dossier service, the one home of the workflow's vocabulary.
const statuses: Record<string, string> = {};
const actions: Record<string, string> = {};
const fields: [string, string, string][] = [
  ["applicant.fullName", "Họ và tên người nộp", "name"], ["applicant.idNumber", "Số định danh cá nhân (12 số)", "off"],
  ["applicant.phone", "Số điện thoại", "tel"], ["applicant.email", "Thư điện tử", "email"], ["applicant.address", "Địa chỉ", "street-address"],
];

function fieldId(name: string): string {
  return name.replace(/[.[\]]/g, "-");
}

/** Time left, for the queue's colour: late, due within a working day, or fine. */
function tone(item: QueueItem, now: number): string {
  const due = item.newDueAt ?? item.dueAt;
  if (!due || ["resolved", "returned", "rejected", "refused", "withdrawn", "stopped"].includes(item.status)) return "";
  const left = new Date(due).getTime() - now;
  return left < 0 ? "late" : left < 24 * 3600_000 ? "soon" : "ok";
}

async function start(): Promise<void> {
  const claims: Claims = await signIn(main, "Đăng nhập bàn làm việc một cửa");
  signOutButton(document.querySelector<HTMLButtonElement>("#sign-out")!);
  const [procedures, rules, known, channels] = await Promise.all([
    // Only what this counter may receive: the province's catalogue, by the kinds of unit that receive each procedure.
    request<Procedure[]>(claims.unitId ? `/api/procedures?unitId=${claims.unitId}` : "/api/procedures"), request<Rule[]>("/api/workflow"), request<Status[]>("/api/dossier-statuses"),
    request<Channel[]>("/api/submission-channels")]);
  for (const s of known) statuses[s.status] = s.label;
  for (const r of rules) actions[r.action] = r.label;
  main.innerHTML = `
    <div class="grid2">
      <section class="card no-print" aria-labelledby="intake-title"><h2 id="intake-title">Tiếp nhận hồ sơ</h2>
        <form id="intake" novalidate>
          <div class="row">
            <div><label for="procedureCode">Thủ tục</label><select id="procedureCode" name="procedureCode">
              ${procedures.map((p) => `<option value="${escape(p.code)}">${escape(p.name)}</option>`).join("")}</select>
              <p class="error" id="error-procedureCode"></p></div>
            <div><label for="channel">Hình thức</label><select id="channel" name="channel">
              ${channels.map((c) => `<option value="${escape(c.channel)}">${escape(c.label)}</option>`).join("")}</select>
              <p class="error" id="error-channel"></p></div>
          </div>
          <div class="row">${fields.map(([name, label, complete]) => `<div><label for="${fieldId(name)}">${label}</label>
            <input id="${fieldId(name)}" name="${name}" autocomplete="${complete}" aria-describedby="error-${fieldId(name)}">
            <p class="error" id="error-${fieldId(name)}"></p></div>`).join("")}</div>
          <label for="papers">Thành phần hồ sơ (mỗi dòng một giấy tờ)</label>
          <textarea id="papers" name="papers" rows="3" aria-describedby="error-papers"></textarea><p class="error" id="error-papers"></p>
          <p class="error" id="intake-error" role="alert"></p>
          <button type="submit">Tiếp nhận và in giấy hẹn</button>
        </form>
      </section>
      <section class="card" id="receipt-card" aria-labelledby="receipt-title" hidden><h2 id="receipt-title" class="no-print">Giấy tiếp nhận (Mẫu 01)</h2>
        <div class="receipt" id="receipt"></div><button type="button" class="no-print" id="print">In giấy hẹn</button></section>
    </div>
    <section class="card no-print" aria-labelledby="queue-title"><h2 id="queue-title">Hồ sơ của đơn vị</h2>
      <div class="row"><div><label for="status">Trạng thái</label><select id="status"><option value="">Tất cả</option>
        ${Object.entries(statuses).map(([k, v]) => `<option value="${escape(k)}">${escape(v)}</option>`).join("")}</select></div>
        <div><label for="view">Xem</label><select id="view"><option value="">Hồ sơ của đơn vị (cả liên thông)</option>
          <option value="waiting=true">Chờ đơn vị xử lý</option><option value="assignedTo=me">Giao cho tôi</option></select></div></div>
      <div class="scroll"><table><thead><tr><th>Mã hồ sơ</th><th>Người nộp</th><th>Thủ tục</th><th>Trạng thái</th><th>Bước</th><th>Hạn trả</th><th>Thao tác</th></tr></thead>
        <tbody id="queue"></tbody></table></div><p class="error" id="action-error" role="alert"></p></section>
    <section class="card no-print" id="drafts-card" hidden aria-labelledby="drafts-title"><h2 id="drafts-title">Thư xin lỗi chờ ký</h2>
      <div class="scroll"><table><thead><tr><th>Số</th><th>Mã hồ sơ</th><th>Thủ tục</th><th>Khâu chậm</th><th>Hạn trả</th><th>Hẹn lại</th><th>Thao tác</th></tr></thead>
        <tbody id="drafts"></tbody></table></div><p class="error" id="drafts-error" role="alert"></p></section>
    <dialog id="act" aria-labelledby="act-title">
      <form method="dialog" id="act-form">
        <h2 id="act-title"></h2>
        <div id="act-reason-field"><label for="act-reason">Lý do</label>
        <textarea id="act-reason" rows="3" required></textarea></div>
        <div id="act-assignee-field" hidden><label for="act-assignee">Giao cho</label><select id="act-assignee"></select></div>
        <div id="act-due-field" hidden><label for="act-due">Ngày hẹn mới</label><input id="act-due" type="datetime-local"></div>
        <p class="error" id="act-error" role="alert"></p>
        <div class="actions"><button type="submit" value="confirm">Xác nhận</button><button type="submit" value="cancel" class="secondary" formnovalidate>Hủy</button></div>
      </form>
    </dialog>
    <section class="card no-print" id="document-card" hidden aria-labelledby="document-title"><h2 id="document-title"></h2>
      <iframe class="doc" id="document" title="Văn bản"></iframe></section>`;

  const form = main.querySelector<HTMLFormElement>("#intake")!;
  // Specialists and leaders (a land office's, say) work the queue; only counter officers receive dossiers.
  if (!claims.roles.includes("counter") && !claims.roles.includes("admin")) form.closest<HTMLElement>("section")!.hidden = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    main.querySelectorAll<HTMLElement>("#intake .error").forEach((e) => (e.textContent = ""));
    const value = (name: string) => (form.querySelector<HTMLInputElement>(`#${fieldId(name)}`)!.value.trim() || null);
    const body = {
      procedureCode: value("procedureCode"), unitId: claims.unitId, channel: value("channel"),
      applicant: { fullName: value("applicant.fullName"), idNumber: value("applicant.idNumber"), phone: value("applicant.phone"),
        email: value("applicant.email"), address: value("applicant.address") },
      papers: (form.querySelector<HTMLTextAreaElement>("#papers")!.value).split("\n").map((p) => p.trim()).filter((p) => p),
    };
    try {
      const dossier = await request<Dossier>("/api/dossiers", { method: "POST", body });
      showReceipt(dossier.receipt!);
      form.reset();
      await loadQueue();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      for (const [name, messages] of Object.entries(e.problem.errors ?? {})) {
        const target = main.querySelector(`#error-${fieldId(name.startsWith("papers") ? "papers" : name)}`) ?? main.querySelector("#intake-error")!;
        target.textContent = messages.join(" ");
      }
      if (!e.problem.errors) main.querySelector("#intake-error")!.textContent = e.message;
      main.querySelector<HTMLElement>(".error:not(:empty)")?.previousElementSibling?.querySelector?.("input")?.focus();
    }
  });

  function showReceipt(r: Receipt): void {
    main.querySelector<HTMLElement>("#receipt-card")!.hidden = false;
    main.querySelector("#receipt")!.innerHTML = `<h3>${escape(r.title)}</h3>
      <p>Mã hồ sơ: <strong id="receipt-code">${escape(r.code)}</strong></p>
      <p>Người nộp: ${escape(r.applicantName)}</p><p>Thủ tục: ${escape(r.procedureName)}</p>
      <p>Thành phần hồ sơ:</p><ol>${r.papers.map((p) => `<li>${escape(p)}</li>`).join("")}</ol>
      <p>Thời hạn giải quyết: ${escape(r.statutoryTime)}</p><p>Tiếp nhận lúc: ${dateTime(r.receivedAt)}</p>
      <p>Hẹn trả kết quả: <strong>${escape(r.appointment ?? "—")}</strong></p>`;
  }
  main.querySelector("#print")!.addEventListener("click", () => window.print());

  const statusFilter = main.querySelector<HTMLSelectElement>("#status")!;
  const viewFilter = main.querySelector<HTMLSelectElement>("#view")!;
  async function loadQueue(): Promise<void> {
    const status = statusFilter.value;
    const view = viewFilter.value;
    const queue = await request<{ items: QueueItem[] }>(
      `/api/dossiers?unitId=${claims.unitId}&pageSize=100${status ? `&status=${status}` : ""}${view ? `&${view}` : ""}`);
    const now = Date.now();
    main.querySelector("#queue")!.innerHTML = queue.items.map((d) => {
      const allowed = rules.filter((r) => r.from.includes(d.status) && r.roles.some((role) => claims.roles.includes(role)));
      const due = d.newDueAt ?? d.dueAt;
      return `<tr class="${tone(d, now)}"><td>${escape(d.code)}</td><td>${escape(d.applicantName)}</td><td>${escape(d.procedureName ?? d.procedureCode)}</td>
        <td>${escape(statuses[d.status] ?? d.status)}</td><td>${escape(d.currentStep ?? "—")}</td><td>${due ? dateTime(due) : "—"}</td>
        <td class="actions">${allowed.map((r) => `<button type="button" class="secondary" data-code="${escape(d.code)}" data-action="${r.action}"
          data-version="${d.version}" data-reason="${r.needsReason}">${escape(actions[r.action] ?? r.action)}</button>`).join("")}
          <button type="button" class="secondary" data-code="${escape(d.code)}" data-document="sheet">Phiếu kiểm soát</button>
          <button type="button" class="secondary" data-code="${escape(d.code)}" data-document="apology">Thư xin lỗi</button></td></tr>`;
    }).join("") || `<tr><td colspan="7">Chưa có hồ sơ.</td></tr>`;
  }
  // Lãnh đạo ký thư xin lỗi: the letters the platform (or a specialist) drafted for this unit wait here for one click.
  const drafts = main.querySelector<HTMLElement>("#drafts-card")!;
  async function loadDrafts(): Promise<void> {
    if (!claims.roles.includes("leader") || !claims.unitId) return;
    const letters = await request<DraftLetter[]>(`/api/apologies?state=draft&unitId=${claims.unitId}`);
    drafts.hidden = false;
    drafts.querySelector("#drafts")!.innerHTML = letters.map((l) => `<tr class="soon"><td>${escape(l.apology.number)}</td><td>${escape(l.code)}</td>
      <td>${escape(l.procedureName)}</td><td>${escape(l.apology.responsibleStep)}</td><td>${dateTime(l.apology.previousDueAt)}</td>
      <td>${dateTime(l.apology.newDueAt)}</td><td class="actions">
      <button type="button" class="secondary" data-code="${escape(l.code)}" data-number="${escape(l.apology.number)}" data-view="1">Xem thư</button>
      <button type="button" data-code="${escape(l.code)}" data-number="${escape(l.apology.number)}">Ký ban hành</button></td></tr>`).join("")
      || `<tr><td colspan="7">Không có thư chờ ký.</td></tr>`;
  }
  drafts.addEventListener("click", async (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
    if (!button) return;
    const error = drafts.querySelector("#drafts-error")!;
    error.textContent = "";
    const path = `/api/dossiers/${encodeURIComponent(button.dataset.code!)}/apologies/${encodeURIComponent(button.dataset.number!)}`;
    try {
      if (button.dataset.view) return await showDocument(button.dataset.code!, "apology");
      button.disabled = true;
      await request(`${path}/approve`, { method: "POST", body: {} });
      await Promise.all([loadDrafts(), loadQueue()]);
    } catch (e) {
      error.textContent = `${button.dataset.code}: ${(e as Error).message}`;
      button.disabled = false;
    }
  });

  statusFilter.addEventListener("change", () => void loadQueue());
  viewFilter.addEventListener("change", () => void loadQueue());

  main.querySelector("#queue")!.addEventListener("click", async (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button");
    if (!button) return;
    const error = main.querySelector("#action-error")!;
    error.textContent = "";
    const code = button.dataset.code!;
    try {
      if (button.dataset.document) return await showDocument(code, button.dataset.document);
      const action = button.dataset.action!;
      const body = action === "assign" ? await askAssignee(code) : button.dataset.reason === "true" ? await askReason(code, action) : {};
      if (!body) return;
      button.disabled = true;
      await request(`/api/dossiers/${encodeURIComponent(code)}/actions/${action}`, { method: "POST", body });
      await loadQueue();
    } catch (e) {
      error.textContent = `${code}: ${(e as Error).message}`;
      button.disabled = false;
    }
  });

  /** Phân công: one of the unit's officials, chosen in the dialog; null when the leader cancels. */
  async function askAssignee(code: string): Promise<Record<string, string> | null> {
    const officials = await request<{ items: Official[] }>(`/api/officials?unitId=${claims.unitId}&pageSize=200`);
    const dialog = main.querySelector<HTMLDialogElement>("#act")!;
    const select = dialog.querySelector<HTMLSelectElement>("#act-assignee")!;
    select.innerHTML = officials.items.filter((o) => o.roles.some((r) => r === "specialist" || r === "leader"))
      .map((o) => `<option value="${escape(o.id)}">${escape(o.fullName)}</option>`).join("");
    dialog.querySelector("#act-title")!.textContent = `${actions.assign ?? "assign"} — ${code}`;
    dialog.querySelector<HTMLElement>("#act-reason-field")!.hidden = true;
    dialog.querySelector<HTMLTextAreaElement>("#act-reason")!.required = false;
    dialog.querySelector<HTMLElement>("#act-due-field")!.hidden = true;
    dialog.querySelector<HTMLElement>("#act-assignee-field")!.hidden = false;
    dialog.querySelector("#act-error")!.textContent = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm" && select.value ? { assigneeId: select.value } : null), { once: true });
    });
  }

  /** The reason (and, for an apology, the new date) in a modal dialog; null when the official cancels. */
  function askReason(code: string, action: string): Promise<Record<string, string> | null> {
    const dialog = main.querySelector<HTMLDialogElement>("#act")!;
    const reason = dialog.querySelector<HTMLTextAreaElement>("#act-reason")!;
    const due = dialog.querySelector<HTMLInputElement>("#act-due")!;
    const apology = action === "apologize";
    dialog.querySelector("#act-title")!.textContent = `${actions[action] ?? action} — ${code}`;
    dialog.querySelector<HTMLElement>("#act-due-field")!.hidden = !apology;
    dialog.querySelector<HTMLElement>("#act-reason-field")!.hidden = false;
    dialog.querySelector<HTMLTextAreaElement>("#act-reason")!.required = true;
    dialog.querySelector<HTMLElement>("#act-assignee-field")!.hidden = true;
    dialog.querySelector("#act-error")!.textContent = "";
    due.required = apology;
    reason.value = "";
    due.value = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        if (dialog.returnValue !== "confirm") return resolve(null);
        // datetime-local is the counter's wall clock, which is Viet Nam's.
        resolve(apology ? { reason: reason.value.trim(), newDueAt: new Date(`${due.value}:00+07:00`).toISOString() } : { reason: reason.value.trim() });
      }, { once: true });
    });
  }

  async function showDocument(code: string, kind: string): Promise<void> {
    const card = main.querySelector<HTMLElement>("#document-card")!;
    let url: string;
    if (kind === "sheet") {
      url = await documentUrl(`/api/dossiers/${encodeURIComponent(code)}/history?format=html`);
      card.querySelector("h2")!.textContent = `Phiếu kiểm soát quá trình giải quyết — ${code}`;
    } else {
      const letters = await request<{ number: string }[]>(`/api/dossiers/${encodeURIComponent(code)}/apologies`);
      if (letters.length === 0) throw new Error("Hồ sơ chưa có thư xin lỗi.");
      url = await documentUrl(`/api/dossiers/${encodeURIComponent(code)}/apologies/${encodeURIComponent(letters[0].number)}/letter`);
      card.querySelector("h2")!.textContent = `Phiếu xin lỗi và hẹn lại ngày trả kết quả — ${code}`;
    }
    card.hidden = false;
    card.querySelector<HTMLIFrameElement>("#document")!.src = url;
    card.scrollIntoView();
  }

  await Promise.all([loadQueue(), loadDrafts()]);
}

void start();
