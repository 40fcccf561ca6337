/**
 * The styles every panel of uPlot charts shares: uPlot's own sheet, then a grid of captioned figures
 * (the panel sets the grid's column width) with the legend in the page's text colour.
 */
import { css, unsafeCSS } from 'lit';
import uplotCss from '../../../node_modules/uplot/dist/uPlot.min.css?inline';
import { sharedStyles } from '../elements/shared-styles.js';

export const chartStyles = [
  unsafeCSS(uplotCss),
  sharedStyles,
  css`
    :host { display: block; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(var(--sl-chart-min, 320px), 1fr)); gap: 1rem; }
    figure { margin: 0; }
    figcaption { font-size: 0.85rem; font-weight: 600; margin-bottom: 0.25rem; }
    .u-legend { font-size: 0.75rem; color: var(--sl-text); }
  `,
];
