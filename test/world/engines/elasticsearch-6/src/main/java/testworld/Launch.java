package testworld;

import java.io.IOException;

/** Process plumbing shared by the launchers. */
final class Launch {
  private Launch() {}

  /** Exits the JVM (running the shutdown hooks, which close the node) once standard input reaches its end. */
  static void exitWhenStdinCloses() {
    Thread watcher = new Thread(() -> {
      try {
        byte[] buffer = new byte[256];
        while (System.in.read(buffer) >= 0) {
          // Whatever the parent writes is ignored: only the end of the stream matters.
        }
      } catch (IOException e) {
        // A broken pipe means the parent is gone too.
      }
      System.exit(0);
    }, "engine-node-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
