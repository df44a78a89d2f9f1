package testworld;

import java.util.Collections;
import java.util.List;

import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.reindex.ReindexPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * One Elasticsearch 7.x node embedded in this JVM, in the manner of Elasticsearch's own MockNode: the transport and
 * reindex modules are loaded from the classpath instead of a distribution's modules/ folder. Settings come from
 * {@code <home>/config/elasticsearch.yml}; see {@link Launch} for the arguments.
 */
public final class EngineNode extends Node {
  private EngineNode(Environment environment) {
    super(environment, List.of(Netty4Plugin.class, ReindexPlugin.class), true);
  }

  // The default installs a log4j converter that needs Elasticsearch's own logging set-up, which we don't run.
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
