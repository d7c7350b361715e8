import { ConfigError } from '@signet/common';

/** The configuration reader is shared with the messenger; only the error names the operator. */
export { ConfigReader, isUrl, parseDuration } from '@signet/common';

export class OperatorConfigError extends ConfigError {
  constructor(problems: string[]) {
    super(problems, 'operator configuration');
    this.name = 'OperatorConfigError';
  }
}
