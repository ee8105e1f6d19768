import { defaultConfig } from './defaults';
import { validateConfig } from './validate';

export default {
  default: defaultConfig,
  validator: (config: unknown) => validateConfig(config),
};

export type { ConsentConfig } from './defaults';
