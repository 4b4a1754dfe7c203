// Dependency-free report building blocks: SVG charts, tables (Markdown / CSV / JSON / HTML)
// and standalone HTML pages. See samples.ts for one use of each.

export { escapeHtml, escapeXml } from '../util/escape.js';
export { fmt, formatFixed, formatNumber, formatSi, type CellFormatter } from './format.js';
export { htmlPage, slug, tableToHtml, type PageOptions, type Section } from './html.js';
export { markdownInline, markdownParagraphs } from './markdown.js';
export { paretoFront, type ParetoOptions } from './pareto.js';
export { quantileSorted, quartiles, type Quartiles } from '../util/stats.js';
export { csvField, toCsv, toJson, toMarkdown, type Column, type CsvOptions, type JsonOptions, type Table } from './table.js';
export { boxPlot, type BoxGroup, type BoxPlotOptions } from './svg/box-plot.js';
export type { ChartBase } from './svg/doc.js';
export { lineChart, type LineChartOptions, type LineSeries, type XY } from './svg/line-chart.js';
export type { MarkerShape } from './svg/marks.js';
export { CATEGORICAL, NEUTRAL, categoricalColor, colorMap, sequentialColor, sequentialColors } from './svg/palette.js';
export type { AxisOptions } from './svg/scale.js';
export { scatterChart, type ScatterOptions, type ScatterPoint } from './svg/scatter.js';
export { smallMultiples, type Panel, type SmallMultiplesOptions } from './svg/small-multiples.js';
export { niceTicks, logTicks, type Ticks } from './svg/ticks.js';
