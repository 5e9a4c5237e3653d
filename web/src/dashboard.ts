import { Chart, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip } from "chart.js";
import { follow, request, type Claims } from "./api";
import { date, dateTime, escape, number, percent } from "./format";
import { signIn, signOutButton } from "./login";
import "./styles.css";

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

interface Unit { id: string; code: string; name: string; type: string; parentId: string | null }
interface Paged<T> { items: T[] }
interface Day { date: string; received: number; resolved: number; onTime: number; late: number; apologies: number; escalations: number }
interface Report { received: number; resolved: number; onTime: number; late: number; overduePending: number; apologies: number; escalations: number;
  onTimeRate: number | null; index766: { score: number | null } }
interface Ranked { rank: number; unitId: string; name: string | null; indicators: Report }
interface Grade { grade: string; label: string; minScore: number; minOnTimeRate: number | null }
interface QueueItem { code: string; status: string; procedureName: string | null; procedureCode: string; unitId: string; dueAt: string | null;
  newDueAt: string | null; currentStep: string | null; assigneeId: string | null }

const main = document.querySelector<HTMLElement>("#main")!;
const labels: Record<string, string> = {
  DossierReceived: "Tiếp nhận", DossierStepCompleted: "Chuyển bước", DossierResolved: "Có kết quả", DossierReturned: "Trả kết quả",
  DossierOverdue: "Quá hạn", ApologyIssued: "Xin lỗi công dân", DossierEscalated: "Trễ hẹn lần hai", DossierAtRisk: "Sắp đến hạn",
  DossierSupplementRequested: "Yêu cầu bổ sung", DossierRejected: "Trả lại hồ sơ", DossierWithdrawn: "Rút hồ sơ",
  NotificationFailed: "Không gửi được tin cho công dân", CitizenRated: "Công dân đánh giá",
};

/** The territorial units of the tree; agencies (land offices, tax, commune police) are listed apart, see {@link agencies}. */
const territorial = "province,district,commune,ward,town,special_zone,cluster";

async function units(claims: Claims): Promise<Unit[]> {
  if (!claims.unitId) return (await request<Paged<Unit>>(`/api/units?descendants=true&pageSize=200&type=${territorial}`)).items;
  const root = await request<Unit>(`/api/units/${claims.unitId}`);
  return [root, ...(await request<Paged<Unit>>(`/api/units?parentId=${claims.unitId}&descendants=true&pageSize=200&type=${territorial}`)).items];
}

/** The agencies under the caller's unit, for their own group in the picker: ranked apart from the communes. */
async function agencies(claims: Claims): Promise<Unit[]> {
  const under = claims.unitId ? `parentId=${claims.unitId}&` : "";
  return (await request<Paged<Unit>>(`/api/units?${under}descendants=true&pageSize=200&type=agency`)).items
    .sort((a, b) => a.name.localeCompare(b.name, "vi"));
}

/** Units in tree order, indented by depth, so the picker reads as the tree and works with the keyboard like any select. */
function treeOptions(all: Unit[]): string {
  const ids = new Set(all.map((u) => u.id));
  const children = (parent: string | null) => all.filter((u) => (parent === null ? !u.parentId || !ids.has(u.parentId) : u.parentId === parent))
    .sort((a, b) => a.name.localeCompare(b.name, "vi"));
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const unit of children(parent)) {
      lines.push(`<option value="${unit.id}">${"\u00a0\u00a0".repeat(depth)}${escape(unit.name)}</option>`);
      walk(unit.id, depth + 1);
    }
  };
  walk(null, 0);
  return lines.join("");
}

function tile(id: string, label: string, tone = ""): string {
  return `<div class="tile ${tone}"><div class="value" id="${id}" aria-live="polite">—</div><div class="label">${label}</div></div>`;
}

function band(score: number | null, onTimeRate: number | null, grades: Grade[]): string {
  if (score === null) return `<span class="band band-none">Chưa đủ dữ liệu</span>`;
  const grade = grades.find((g) => score >= g.minScore && (g.minOnTimeRate === null || (onTimeRate ?? -1) >= g.minOnTimeRate));
  return `<span class="band band-${grade?.grade ?? "none"}">${escape(grade?.label ?? "Chưa xếp loại")}</span>`;
}

async function start(): Promise<void> {
  const claims = await signIn(main, "Đăng nhập bảng điều hành");
  signOutButton(document.querySelector<HTMLButtonElement>("#sign-out")!);
  const [tree, bodies] = await Promise.all([units(claims), agencies(claims)]);
  const agencyOptions = bodies.length === 0 ? "" : `<optgroup label="Cơ quan chuyên môn">${bodies
    .map((u) => `<option value="${u.id}">${escape(u.name)}</option>`).join("")}</optgroup>`;
  main.innerHTML = `
    <section class="card row no-print" aria-label="Chọn đơn vị">
      <div><label for="unit">Đơn vị</label><select id="unit">${treeOptions(tree)}${agencyOptions}</select></div>
      <p class="state" id="stream-state" role="status">Đang kết nối…</p>
    </section>
    <section aria-labelledby="today-title"><h2 id="today-title">Hôm nay <span id="today-date"></span></h2>
      <div class="tiles">${tile("t-received", "Tiếp nhận")}${tile("t-resolved", "Có kết quả", "good")}${tile("t-rate", "Tỷ lệ đúng hạn", "good")}
        ${tile("t-apologies", "Xin lỗi", "warn")}${tile("t-escalations", "Trễ hẹn lần hai", "bad")}</div></section>
    <section aria-labelledby="month-title"><h2 id="month-title">Tháng này</h2>
      <div class="tiles">${tile("m-received", "Tiếp nhận")}${tile("m-resolved", "Có kết quả", "good")}${tile("m-rate", "Tỷ lệ đúng hạn", "good")}
        ${tile("m-overdue", "Đang quá hạn", "bad")}${tile("m-apologies", "Xin lỗi", "warn")}${tile("m-escalations", "Trễ hẹn lần hai", "bad")}</div></section>
    <div class="grid2">
      <section class="card"><h2>Xu hướng 30 ngày</h2><div class="chart"><canvas id="trend" role="img" aria-label="Hồ sơ tiếp nhận, có kết quả và trễ hạn theo ngày"></canvas></div></section>
      <section class="card"><h2>Diễn biến trực tiếp</h2><ul class="ticker" id="ticker" aria-live="polite"></ul></section>
    </div>
    <div class="grid2">
      <section class="card"><h2>Hồ sơ quá hạn và sắp đến hạn</h2><div class="scroll"><table><thead><tr><th>Mã hồ sơ</th><th>Thủ tục</th><th>Hạn</th>
        <th>Bước chịu trách nhiệm</th><th>Cán bộ</th></tr></thead><tbody id="late"></tbody></table></div></section>
      <section class="card"><h2>Xếp hạng đơn vị trực thuộc (tháng)</h2><div class="scroll"><table><thead><tr><th>#</th><th>Đơn vị</th><th>Điểm 766</th>
        <th>Đúng hạn</th><th>Xếp loại</th></tr></thead><tbody id="ranking"></tbody></table></div></section>
    </div>`;

  const picker = main.querySelector<HTMLSelectElement>("#unit")!;
  const chart = new Chart<"line", number[], string>(main.querySelector<HTMLCanvasElement>("#trend")!, {
    type: "line",
    data: { labels: [] as string[], datasets: [
      { label: "Tiếp nhận", data: [], borderColor: "#0b5394", backgroundColor: "#0b5394" },
      { label: "Có kết quả", data: [], borderColor: "#1a7f37", backgroundColor: "#1a7f37" },
      { label: "Trễ hạn", data: [], borderColor: "#b42318", backgroundColor: "#b42318" }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const policy = await request<{ communeGrades: Grade[] }>("/api/evaluation/policy");
  const set = (id: string, text: string) => { main.querySelector(`#${id}`)!.textContent = text; };

  let names = new Map<string, string>();
  const refresh = async () => {
    const unit = picker.value;
    const [trend, month, rankings, overdue, soon, officials] = await Promise.all([
      request<Day[]>(`/api/evaluation/units/${unit}/trend`),
      request<Report>(`/api/evaluation/units/${unit}`),
      request<{ units: Ranked[] }>(`/api/evaluation/rankings?unitId=${unit}`),
      request<Paged<QueueItem>>(`/api/dossiers?unitId=${unit}&late=true&pageSize=20`),
      request<Paged<QueueItem>>(`/api/dossiers?unitId=${unit}&dueToday=true&pageSize=20`),
      request<Paged<{ id: string; fullName: string }>>(`/api/officials?unitId=${unit}&descendants=true&pageSize=200`).catch(() => ({ items: [] })),
    ]);
    names = new Map(officials.items.map((o) => [o.id, o.fullName]));
    const today = trend[trend.length - 1];
    set("today-date", date(today.date + "T12:00:00+07:00"));
    set("t-received", number(today.received));
    set("t-resolved", number(today.resolved));
    set("t-rate", percent(today.onTime + today.late === 0 ? null : Math.round((10000 * today.onTime) / (today.onTime + today.late)) / 100));
    set("t-apologies", number(today.apologies));
    set("t-escalations", number(today.escalations));
    set("m-received", number(month.received));
    set("m-resolved", number(month.resolved));
    set("m-rate", percent(month.onTimeRate));
    set("m-overdue", number(month.overduePending));
    set("m-apologies", number(month.apologies));
    set("m-escalations", number(month.escalations));
    chart.data.labels = trend.map((d) => d.date.slice(8, 10) + "/" + d.date.slice(5, 7));
    chart.data.datasets[0].data = trend.map((d) => d.received);
    chart.data.datasets[1].data = trend.map((d) => d.resolved);
    chart.data.datasets[2].data = trend.map((d) => d.late);
    chart.update();
    const lateCodes = new Set(overdue.items.map((d) => d.code));
    main.querySelector("#late")!.innerHTML = [...overdue.items.map((d) => [d, "late"] as const),
      ...soon.items.filter((d) => !lateCodes.has(d.code)).map((d) => [d, "soon"] as const)]
      .map(([d, tone]) => `<tr class="${tone}"><td>${escape(d.code)}</td><td>${escape(d.procedureName ?? d.procedureCode)}</td>
        <td class="${tone}">${d.dueAt ? dateTime(d.newDueAt ?? d.dueAt) : "—"}</td><td>${escape(d.currentStep ?? "—")}</td>
        <td>${escape(d.assigneeId ? names.get(d.assigneeId) ?? "—" : "Chưa phân công")}</td></tr>`).join("")
      || `<tr><td colspan="5">Không có hồ sơ quá hạn hay đến hạn hôm nay.</td></tr>`;
    main.querySelector("#ranking")!.innerHTML = rankings.units.map((u) => `<tr><td>${u.rank}</td><td>${escape(u.name)}</td>
      <td>${number(u.indicators.index766.score)}</td><td>${percent(u.indicators.onTimeRate)}</td>
      <td>${band(u.indicators.index766.score, u.indicators.onTimeRate, policy.communeGrades)}</td></tr>`).join("")
      || `<tr><td colspan="5">Không có đơn vị trực thuộc.</td></tr>`;
  };

  // The feed may run ahead of Evaluation's projection by a moment: look again shortly after, and once more a little later.
  let pending: number[] = [];
  const soon = () => {
    pending.forEach(clearTimeout);
    pending = [300, 1500].map((delay) => window.setTimeout(() => void refresh(), delay));
  };
  let stop = () => {};
  const watch = () => {
    stop();
    main.querySelector("#ticker")!.innerHTML = "";
    stop = follow(picker.value, (name, data) => {
      const event = data as { code?: string; dossierCode?: string; occurredAt?: string; newDueAt?: string };
      const item = document.createElement("li");
      item.innerHTML = `<strong>${escape(labels[name] ?? name)}</strong> ${escape(event.code ?? event.dossierCode ?? "")}
        ${event.newDueAt ? `— hẹn lại ${dateTime(event.newDueAt)}` : ""} <small>${event.occurredAt ? dateTime(event.occurredAt) : ""}</small>`;
      main.querySelector("#ticker")!.prepend(item);
      soon();
    }, (state) => {
      const label = main.querySelector<HTMLElement>("#stream-state")!;
      label.className = `state ${state}`;
      label.textContent = state === "live" ? "● Trực tiếp" : "○ Mất kết nối, đang kết nối lại…";
    });
  };
  picker.addEventListener("change", () => { void refresh(); watch(); });
  await refresh();
  watch();
}

void start();
