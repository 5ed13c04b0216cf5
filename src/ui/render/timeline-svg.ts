// The timeline as a standalone SVG document, from the same layout the canvas paints: for the
// "export SVG" of the timeline view (the canvas itself exports as PNG).
import type { TimelineLayout } from './timeline-layout';

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

const number = (value: number): string => String(Math.round(value * 10) / 10);

export function timelineSvg(
  layout: TimelineLayout,
  frame: { width: number; height: number; labelWidth: number },
): string {
  const { width, height, labelWidth } = frame;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (const lane of layout.lanes) {
    parts.push(
      `<line x1="${labelWidth}" y1="${number(lane.y)}" x2="${width}" y2="${number(lane.y)}" stroke="#dee2e6"/>`,
      `<text x="8" y="${number(lane.y + 4)}" fill="#495057">n${lane.id}</text>`,
    );
  }
  for (const band of layout.bands) {
    parts.push(
      `<rect x="${number(band.x)}" y="${number(band.y)}" width="${number(band.width)}" height="${number(band.height)}" fill="${band.color}" opacity="${band.future ? 0.35 : 1}"><title>${band.role} term ${band.term}</title></rect>`,
    );
  }
  for (const line of layout.lines) {
    parts.push(
      `<line x1="${number(line.x1)}" y1="${number(line.y1)}" x2="${number(line.x2)}" y2="${number(line.y2)}" stroke="${line.color}" stroke-width="0.8" opacity="${line.future ? 0.15 : 0.55}"/>`,
    );
    if (line.lost)
      parts.push(
        `<text x="${number(line.x2 - 3)}" y="${number(line.y2 + 4)}" fill="${line.color}">×</text>`,
      );
  }
  for (const marker of layout.markers) {
    const { x, y } = marker;
    parts.push(
      `<path d="M${number(x)},${number(y - 6)}l5,6l-5,6l-5,-6z" fill="${marker.injected ? '#7048e8' : '#c92a2a'}" opacity="${marker.future ? 0.4 : 1}"/>`,
      `<text x="${number(x + 7)}" y="${number(y - 6)}" fill="${marker.injected ? '#7048e8' : '#c92a2a'}">${escapeXml(marker.text)}</text>`,
    );
  }
  for (const tick of layout.ticks)
    parts.push(
      `<text x="${number(tick.x - 14)}" y="${height - 4}" fill="#868e96">${escapeXml(tick.label)}</text>`,
    );
  parts.push(
    `<line x1="${number(layout.cursorX)}" y1="0" x2="${number(layout.cursorX)}" y2="${height - 16}" stroke="#212529" stroke-width="1.5"/>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
