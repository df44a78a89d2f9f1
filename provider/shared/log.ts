// How every provider talks to the user. A dynamic provider process has no engine connection for pulumi.log (it
// would print "info: [runtime] ..." to stdout anyway); the engine reads a dynamic provider's stdout and stderr after
// its port line and shows each line as a diagnostic of the operation (sdk/go/common/resource/plugin/plugin.go,
// runtrace), during preview and up alike.

export interface ProviderLog {
  info(message: string): void;
  warn(message: string): void;
}

// A line the CLI has not read yet waits in this process's memory (a CLI stopped with Ctrl-Z does not read, and its
// providers run on in their own process groups): beyond this much waiting, lines are dropped instead of held.
export const MAX_UNREAD_BYTES = 1 << 20;
const unread = (stream: NodeJS.WriteStream) => stream.writableLength >= MAX_UNREAD_BYTES;

const consoleLog: ProviderLog = {
  info: (message) => unread(process.stdout) || console.log(message),
  warn: (message) => unread(process.stderr) || console.warn(`warning: ${message}`),
};

/** The log of provider methods: progress, what a preview found, what an operation left as it was. */
export function providerLog(): ProviderLog {
  return consoleLog;
}
