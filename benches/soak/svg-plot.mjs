// A small line chart written as SVG by hand (no plotting package): panels side by side, each with
// its axes, ticks, and one polyline per series, and one legend under them.

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (n) => Number(n.toFixed(1));

/** Round tick values covering [0, max]: steps of 1, 2 or 5 times a power of ten. */
export function ticks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1] < max) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}

const shortNumber = (v) => (v >= 1000 && v % 1000 === 0 ? `${v / 1000}k` : String(v));

function panel({ x0, y0, width, height, title, yLabel, xLabel, series }) {
  const left = 48;
  const bottom = 34;
  const plotW = width - left - 10;
  const plotH = height - bottom - 24;
  const xMax = Math.max(1, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const yMax = Math.max(...series.flatMap((s) => s.points.map(([, y]) => y)));
  const xt = ticks(xMax, 5);
  const yt = ticks(yMax, 5);
  const sx = (x) => x0 + left + (x / xt[xt.length - 1]) * plotW;
  const sy = (y) => y0 + 24 + plotH - (y / yt[yt.length - 1]) * plotH;
  const parts = [`<text x="${num(x0 + left)}" y="${num(y0 + 14)}" font-weight="bold">${esc(title)}</text>`];
  for (const v of yt) {
    parts.push(`<line x1="${num(sx(0))}" x2="${num(sx(xt[xt.length - 1]))}" y1="${num(sy(v))}" y2="${num(sy(v))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${num(sx(0) - 6)}" y="${num(sy(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  for (const v of xt) {
    parts.push(`<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${num(sy(0))}" y2="${num(sy(0) + 4)}" stroke="#888"/>`);
    parts.push(`<text x="${num(sx(v))}" y="${num(sy(0) + 16)}" text-anchor="middle">${shortNumber(v)}</text>`);
  }
  parts.push(`<line x1="${num(sx(0))}" x2="${num(sx(xt[xt.length - 1]))}" y1="${num(sy(0))}" y2="${num(sy(0))}" stroke="#888"/>`);
  parts.push(`<line x1="${num(sx(0))}" x2="${num(sx(0))}" y1="${num(sy(0))}" y2="${num(sy(yt[yt.length - 1]))}" stroke="#888"/>`);
  parts.push(`<text x="${num(x0 + left + plotW / 2)}" y="${num(y0 + height - 4)}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(${num(x0 + 12)} ${num(y0 + 24 + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  for (const s of series) {
    const pts = s.points.map(([x, y]) => `${num(sx(x))},${num(sy(y))}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${pts}"/>`);
  }
  return parts.join("\n");
}

/**
 * @param {{ title: string, xLabel: string, panels: { title: string, yLabel: string, series: { name: string, color: string, dash?: string, points: [number, number][] }[] }[] }} chart
 * @returns {string} an SVG document
 */
export function lineChartSvg({ title, xLabel, panels }) {
  const panelW = 420;
  const panelH = 260;
  const width = panelW * panels.length + 20;
  const legendRows = panels[0].series.length;
  const height = 30 + panelH + 10 + legendRows * 18;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((p, i) => parts.push(panel({ x0: 10 + i * panelW, y0: 26, width: panelW, height: panelH, xLabel, ...p })));
  panels[0].series.forEach((s, i) => {
    const y = 30 + panelH + 14 + i * 18;
    parts.push(`<line x1="60" x2="90" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    parts.push(`<text x="96" y="${y}">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
