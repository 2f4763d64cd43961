// SPDX-License-Identifier: MIT
export type { MinimumProperties, MinimumRecord, TransitionStateRecord, RunManifest, DiscoveryPoint } from './records.js';
export type {
  MinimumCandidate,
  DuplicateTest,
  AddMinimumResult,
  AddTransitionStateResult,
  TransitionStateCandidate,
  LandscapeStore,
  AddMinimumOptions,
} from './store.js';
export { createMemoryStore } from './database/memory-store.js';
export { openSqliteStore, SQLITE_APPLICATION_ID, type SqliteStore, type SqliteStoreOptions } from './database/sqlite-store.js';
export {
  openPostgresStore,
  redactUrl as redactPostgresUrl,
  DEFAULT_BUCKET_WIDTH as POSTGRES_DEFAULT_BUCKET_WIDTH,
  type PostgresStore,
  type PostgresStoreOptions,
} from './database/postgres-store.js';
export { SCHEMA_VERSION as LANDSCAPE_SCHEMA_VERSION, encodeFloat64LE, decodeFloat64LE } from './database/codec.js';
export {
  computeDisconnectivity,
  disconnectivityFromStore,
  type TreeMinimum,
  type TreeTransitionState,
  type DisconnectivityInput,
  type DisconnectivityOptions,
  type DisconnectivityBasin,
  type DisconnectivityLeaf,
  type DisconnectivityNode,
  type DisconnectivityTree,
} from './disconnectivity/tree.js';
export {
  layoutDisconnectivity,
  type LayoutOptions,
  type LayoutNode,
  type LayoutSegment,
  type LayoutLeaf,
  type DisconnectivityLayout,
} from './disconnectivity/layout.js';
export { renderDisconnectivitySvg, type SvgOptions, type ColourOptions } from './disconnectivity/svg.js';
export { renderDisconnectivityPng, type PngOptions } from './disconnectivity/png.js';
export { renderDisconnectivityText, type TextOptions } from './disconnectivity/text.js';
export { colourRamp, minimumValues, type MinimumValue } from './disconnectivity/colour.js';
export {
  formatMinData,
  formatTsData,
  parseMinData,
  parseTsData,
  encodePoints,
  decodePoints,
  paddedLength,
  type MinDataRow,
  type TsDataRow,
} from './pathsample/format.js';
export {
  exportPathsample,
  importPathsample,
  SIDE_FILE as PATHSAMPLE_SIDE_FILE,
  type ExportResult as PathsampleExportResult,
  type ImportOptions as PathsampleImportOptions,
  type ImportResult as PathsampleImportResult,
} from './pathsample/folder.js';
export {
  summariseLandscape,
  spread,
  pearson,
  bootstrapInterval,
  bootstrapDifference,
  type LandscapeStatistics,
  type Spread,
  type BootstrapOptions,
  type Interval,
} from './statistics.js';
