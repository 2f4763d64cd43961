// SPDX-License-Identifier: MIT
import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.config.base.ts';

export default mergeConfig(packageTestConfig(), { test: { globalSetup: ['test/global-setup.ts'] } });
