// How every provider talks to the user. A dynamic provider process has no engine connection for pulumi.log (it
// would print "info: [runtime] ..." to stdout anyway); the engine reads a dynamic provider's stdout and stderr after
// its port line and shows each line as a diagnostic of the operation (sdk/go/common/resource/plugin/plugin.go,
// runtrace), during preview and up alike.

export interface ProviderLog {
  info(message: string): void;
  warn(message: string): void;
}

const consoleLog: ProviderLog = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(`warning: ${message}`),
};

/** The log of provider methods: progress, what a preview found, what an operation left as it was. */
export function providerLog(): ProviderLog {
  return consoleLog;
}
