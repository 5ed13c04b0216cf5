// PNG and SVG pictures of the cluster and timeline views. The cluster is an SVG in the page: a
// clone with its computed styles written inline stands alone as a file, and drawn onto a canvas
// it becomes a PNG. The timeline is a canvas (a PNG directly); its SVG comes from the same
// layout the canvas paints.
import { layoutTimeline } from '../render/timeline-layout';
import { timelineSvg } from '../render/timeline-svg';
import { appStore } from '../store/app-store';
import { currentRun, displayTime } from '../store/run-actions';
import { timelineLabelWidth, timelineLinesMax, windowOf } from './timeline-view';

export type PictureView = 'cluster' | 'timeline';

/** Style properties the cluster's CSS sets, copied inline so the file looks as the page does. */
const inlinedProperties = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-size',
  'font-weight',
  'font-family',
  'text-anchor',
  'dominant-baseline',
];

function viewElement<T extends Element>(testId: string): T {
  const element = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (element === null) throw new Error(`no ${testId} view on the page to export`);
  return element;
}

export function clusterSvgText(): string {
  const original = viewElement<SVGSVGElement>('cluster');
  const clone = original.cloneNode(true) as SVGSVGElement;
  const sources = [original, ...original.querySelectorAll('*')];
  const targets = [clone, ...clone.querySelectorAll('*')];
  sources.forEach((source, index) => {
    const computed = getComputedStyle(source);
    const target = targets[index] as SVGElement;
    for (const property of inlinedProperties)
      target.style.setProperty(property, computed.getPropertyValue(property));
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  clone.insertBefore(background, clone.firstChild);
  return new XMLSerializer().serializeToString(clone) + '\n';
}

export function timelineSvgText(): string {
  const canvas = viewElement<HTMLCanvasElement>('timeline');
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const state = appStore.getState();
  const run = currentRun();
  const cursorMs = displayTime();
  const [startMs, endMs] = windowOf(cursorMs, state.timelineWindowMs);
  const layout = layoutTimeline({
    nodeIds: state.nodes.map((node) => node.id),
    flights: run.trace.flights,
    flightMsMax: run.trace.flightMsMax,
    roleChanges: run.trace.roleChanges,
    faults: run.trace.faults,
    width,
    height,
    labelWidth: timelineLabelWidth,
    startMs,
    endMs,
    cursorMs,
    traceEndMs: Math.max(run.trace.endMs, cursorMs),
    showHeartbeats: state.showHeartbeats,
    linesMax: timelineLinesMax,
  });
  return timelineSvg(layout, { width, height, labelWidth: timelineLabelWidth });
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob === null ? reject(new Error('the canvas gave no PNG')) : resolve(blob)),
      'image/png',
    ),
  );
}

/** Draws SVG text onto a canvas at the screen's pixel ratio and returns it as PNG. */
async function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function pictureSvg(view: PictureView): Blob {
  const text = view === 'cluster' ? clusterSvgText() : timelineSvgText();
  return new Blob([text], { type: 'image/svg+xml' });
}

export async function picturePng(view: PictureView): Promise<Blob> {
  if (view === 'timeline') return canvasBlob(viewElement<HTMLCanvasElement>('timeline'));
  const svg = viewElement<SVGSVGElement>('cluster');
  return svgToPng(clusterSvgText(), svg.clientWidth, svg.clientHeight);
}
