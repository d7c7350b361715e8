/** The configuration reader is shared with the operator service. */
export { ConfigError, ConfigReader, parseDuration } from '@signet/common';
