package testworld;

import java.util.Collections;
import java.util.List;

import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch 1.x node embedded in this JVM, in the manner of the test framework's MockNode: the transport and
 * reindex modules are loaded from the classpath instead of a distribution's modules/ folder. Settings come from
 * {@code <home>/config/opensearch.yml}; see {@link Launch} for the arguments.
 */
public final class EngineNode extends Node {
  private EngineNode(Environment environment) {
    super(environment, List.of(Netty4Plugin.class, ReindexPlugin.class), true);
  }

  // The default installs a log4j converter that needs OpenSearch's own logging set-up, which we don't run.
  @Override
  protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

  public static void main(String[] args) throws Exception {
    Launch.run(args, home -> {
      Settings base = Settings.builder().put("path.home", home.toString()).build();
      Environment environment =
          InternalSettingsPreparer.prepareEnvironment(base, Collections.emptyMap(), home.resolve("config"), () -> "node");
      return new EngineNode(environment).start();
    });
  }
}
