// SPDX-License-Identifier: MIT
/** Every subcommand, registered in this order (the order of `lossscape --help`). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerExplore } from './explore.js';
import { registerReport } from './report.js';
import { registerWatch } from './watch.js';
import { registerGraph } from './graph.js';
import { registerExport } from './export.js';
import { registerHessian } from './hessian.js';
import { registerWorker } from './worker.js';
import { registerStudy } from './study.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => Command;

export const COMMANDS: readonly RegisterCommand[] = [registerExplore, registerWatch, registerReport, registerGraph, registerExport, registerHessian, registerStudy, registerWorker];
