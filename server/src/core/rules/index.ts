/** The rule registry: every rule, in the order they are documented. */
import { appShutdownExceedsGrace } from './app-shutdown-exceeds-grace';
import { lbDrainMismatch } from './lb-drain-mismatch';
import { gracePeriodTooShort } from './grace-period-too-short';
import { gracePeriodZero } from './grace-period-zero';
import { meshDrainExceedsGrace } from './mesh-drain-exceeds-grace';
import { nginxSigtermFastShutdown } from './nginx-sigterm-fast-shutdown';
import { prestopExecInMinimalImage } from './prestop-exec-in-minimal-image';
import { prestopHookMissing } from './prestop-hook-missing';
import { prestopSleepTooShort } from './prestop-sleep-too-short';
import { shellWrapperBlocksSigterm } from './shell-wrapper-blocks-sigterm';
import { sleepActionUnsupported } from './sleep-action-unsupported';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  prestopHookMissing,
  gracePeriodTooShort,
  gracePeriodZero,
  sleepActionUnsupported,
  prestopExecInMinimalImage,
  shellWrapperBlocksSigterm,
  prestopSleepTooShort,
  meshDrainExceedsGrace,
  appShutdownExceedsGrace,
  lbDrainMismatch,
  nginxSigtermFastShutdown,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
