// SPDX-License-Identifier: MIT
/**
 * PNG rasterisation of a disconnectivity SVG with resvg (a Rust renderer shipped as prebuilt
 * npm binaries; no browser, no system cairo). Text uses the system fonts (DejaVu on Debian);
 * without any font the text is left out but the graph is still drawn.
 *
 * ```ts
 * const png = await renderDisconnectivityPng(renderDisconnectivitySvg(layout), { width: 1600 });
 * writeFileSync('tree.png', png);
 * ```
 * Cost: proportional to the pixel count; rendering runs off the JS thread.
 */
import { renderAsync } from '@resvg/resvg-js';
import { expectedMessage, requireInteger } from '@lossscape/numeric';

export interface PngOptions {
  /** Output width in pixels (the height keeps the SVG's aspect ratio). Default: the SVG's width. */
  readonly width?: number;
  readonly signal?: AbortSignal;
}

/** Rasterises an SVG string to PNG bytes. Rejects (never throws) on bad input. */
export async function renderDisconnectivityPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  if (typeof svg !== 'string' || !svg.includes('<svg')) throw new TypeError(expectedMessage('SVG document string', 'svg', svg));
  const width = options.width === undefined ? undefined : requireInteger('width', options.width, 1, 32_768);
  const image = await renderAsync(
    svg,
    {
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      logLevel: 'off',
    },
    options.signal ?? null,
  );
  return new Uint8Array(image.asPng());
}
