package testworld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.reindex.ReindexPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * One Elasticsearch 7.x node embedded in this JVM, in the manner of Elasticsearch's own MockNode: the transport and
 * reindex modules are loaded from the classpath instead of a distribution's modules/ folder.
 *
 * <p>Usage: {@code EngineNode <home> [--exit-with-parent]}. Settings come from {@code <home>/config/elasticsearch.yml}.
 * With {@code --exit-with-parent} the node shuts down when its standard input closes, that is when the process that
 * started it is gone, however it died.
 */
public final class EngineNode extends Node {
  private EngineNode(Environment environment) {
    super(environment, List.of(Netty4Plugin.class, ReindexPlugin.class), true);
  }

  // The default installs a log4j converter that needs Elasticsearch's own logging set-up, which we don't run.
  @Override
  protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

  public static void main(String[] args) throws Exception {
    Path home = Paths.get(args[0]).toAbsolutePath();
    boolean exitWithParent = args.length > 1 && args[1].equals("--exit-with-parent");
    // Plugin loading lists both folders and fails when they are missing.
    Files.createDirectories(home.resolve("modules"));
    Files.createDirectories(home.resolve("plugins"));
    Settings base = Settings.builder().put("path.home", home.toString()).build();
    Environment environment =
        InternalSettingsPreparer.prepareEnvironment(base, Collections.emptyMap(), home.resolve("config"), () -> "node");
    CountDownLatch stopped = new CountDownLatch(1);
    Node node;
    try {
      node = new EngineNode(environment).start();
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }, "engine-node-shutdown"));
    if (exitWithParent) Launch.exitWhenStdinCloses();
    stopped.await();
  }
}
