// Vietnamese presentation: dd/MM/yyyy in Asia/Ho_Chi_Minh, numbers with Vietnamese separators.

const numbers = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

export const number = (value: number | null | undefined): string => (value === null || value === undefined ? "—" : numbers.format(value));

export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? "—" : `${numbers.format(value)}%`);

function pieces(instant: string | Date): Record<string, string> {
  return Object.fromEntries(parts.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
}

export function date(instant: string | Date): string {
  const p = pieces(instant);
  return `${p.day}/${p.month}/${p.year}`;
}

export function dateTime(instant: string | Date): string {
  const p = pieces(instant);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** yyyy-MM-dd and yyyy-MM of an instant in Viet Nam, as the evaluation API names periods. */
export function periods(instant: Date): { day: string; month: string } {
  const p = pieces(instant);
  return { day: `${p.year}-${p.month}-${p.day}`, month: `${p.year}-${p.month}` };
}

export function escape(text: string | null | undefined): string {
  return (text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
