// SPDX-License-Identifier: MIT
import { kernel, type KernelRef } from '../src/kernel.js';

/** The plain-JavaScript test kernels (workers import them without a TypeScript loader). */
export const BASIC_KERNELS = new URL('../test-kernels/basic.mjs', import.meta.url);
export const TASKS = new URL('../test-kernels/tasks.mjs', import.meta.url);

export const basic = (exportName: string): KernelRef => kernel(BASIC_KERNELS, exportName);
