package testworld;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

/**
 * The process side of every launcher, whatever the engine: arguments, folders, shutdown, and the parent watch.
 *
 * <p>Usage of a launcher: {@code EngineNode <home> [--exit-with-parent]}. With {@code --exit-with-parent} the node
 * shuts down when its standard input closes, that is when the process that started it is gone, however it died.
 */
final class Launch {
  private Launch() {}

  /** Starts a node from its home folder; returns the started node (every engine's Node is Closeable). */
  interface NodeStarter {
    Closeable start(Path home) throws Exception;
  }

  static void run(String[] args, NodeStarter starter) throws InterruptedException {
    Path home = Paths.get(args[0]).toAbsolutePath();
    boolean exitWithParent = args.length > 1 && args[1].equals("--exit-with-parent");
    Closeable node;
    try {
      // Plugin loading lists both folders and fails when they are missing.
      Files.createDirectories(home.resolve("modules"));
      Files.createDirectories(home.resolve("plugins"));
      node = starter.start(home);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (IOException e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }, "engine-node-shutdown"));
    if (exitWithParent) exitWhenStdinCloses();
    stopped.await();
  }

  /** Exits the JVM (running the shutdown hooks, which close the node) once standard input reaches its end. */
  private static void exitWhenStdinCloses() {
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
