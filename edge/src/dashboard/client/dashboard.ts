import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

/**
 * The dashboard's only script: draws the segment mix the server embedded as JSON. Pages work without it (the
 * same numbers are in a table), so it only adds the chart. Only the chart.js parts a stacked bar chart needs
 * are registered, which keeps the bundle small.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Type-checked with the edge, which targets workerd and has no DOM library: declare the two calls used here,
// module-scoped so the worker's own types stay free of browser globals.
interface PageElement { tagName: string; textContent: string | null }
declare const document: { getElementById(id: string): PageElement | null };

interface SegmentData {
  kind: 'segments';
  names: string[];
  series: { day: string; total: number; segments: Record<string, number> }[];
}

// Colour-blind-safe (Okabe–Ito) so segments stay distinguishable for every merchandiser.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

function drawSegments(canvas: PageElement, data: SegmentData): void {
  new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: {
      labels: data.series.map((d) => d.day),
      datasets: data.names.map((name, i) => ({
        label: name,
        data: data.series.map((d) => d.segments[name] ?? 0),
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'shoppers' } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

const script = document.getElementById('dashboard-data');
const canvas = document.getElementById('segment-chart');
if (script && canvas?.tagName === 'CANVAS') {
  const data = JSON.parse(script.textContent ?? '{}') as SegmentData;
  if (data.kind === 'segments') drawSegments(canvas, data);
}
