export { Dashboard } from './dashboard.js';
export type { DashboardActions, DashboardProps, SnapshotSource } from './dashboard-props.js';
export { createLineReporter, formatCellLine, formatSummaryLine, type LineReporter, type LineReporterOptions } from './line-reporter.js';
export { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
