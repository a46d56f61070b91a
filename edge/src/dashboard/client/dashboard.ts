import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { previewUrl } from '../preview-url.js';

/**
 * The dashboard's only script: draws the segment mix the server embedded as JSON, and switches the live
 * preview when another segment is picked. Pages work without it (the same numbers are in a table, the picker
 * is a GET form), so it only adds the chart and the instant switch. Only the chart.js parts a stacked bar
 * chart needs are registered, which keeps the bundle small.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Type-checked with the edge, which targets workerd and has no DOM library: declare the two calls used here,
// module-scoped so the worker's own types stay free of browser globals.
interface PageElement {
  tagName: string;
  textContent: string | null;
  value: string;
  src: string;
  href: string;
  title: string;
  getAttribute(name: string): string | null;
  addEventListener(type: 'change', listener: () => void): void;
}
declare const document: { getElementById(id: string): PageElement | null };
declare const history: { replaceState(data: null, unused: string, url: string): void };

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
        data: data.series.map((d) => (Object.hasOwn(d.segments, name) ? d.segments[name]! : 0)),
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'shoppers' } },
      },
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

/** The picker changes the frame at once, and the address, so a reload keeps the chosen segment. */
function wirePreview(picker: PageElement, frame: PageElement, open: PageElement | null): void {
  const shop = picker.getAttribute('data-shop');
  if (!shop) return;
  picker.addEventListener('change', () => {
    const segment = picker.value;
    const url = previewUrl(shop, segment);
    frame.src = url;
    frame.title = `Storefront as a shopper of ${segment} sees it`;
    if (open) open.href = url;
    history.replaceState(null, '', `?preview=${encodeURIComponent(segment)}`);
  });
}

const picker = document.getElementById('preview-segment');
const frame = document.getElementById('preview-frame');
if (picker && frame) wirePreview(picker, frame, document.getElementById('preview-open'));
