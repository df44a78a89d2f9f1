package testworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.ingest.common.IngestCommonPlugin;
import org.opensearch.join.ParentJoinPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.script.mustache.MustachePlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch 2.x node embedded in this JVM, in the manner of the test framework's MockNode: the modules are
 * loaded from the classpath instead of a distribution's modules/ folder. Settings come from
 * {@code <home>/config/opensearch.yml}; see {@link Launch} for the arguments.
 */
public final class EngineNode extends Node {
  private static final List<Class<? extends Plugin>> MODULES = List.of(
      Netty4Plugin.class, ReindexPlugin.class, IngestCommonPlugin.class, CommonAnalysisPlugin.class,
      ParentJoinPlugin.class, PainlessPlugin.class, MapperExtrasPlugin.class, MustachePlugin.class);

  // What a module's extensions are found with: the JDK's ServiceLoader over the one classpath (META-INF/services).
  private static final ExtensiblePlugin.ExtensionLoader CLASSPATH_EXTENSIONS = new ExtensiblePlugin.ExtensionLoader() {
    @Override
    public <T> List<T> loadExtensions(Class<T> extensionPoint) {
      List<T> found = new ArrayList<>();
      ServiceLoader.load(extensionPoint, EngineNode.class.getClassLoader()).forEach(found::add);
      return found;
    }
  };

  private EngineNode(Environment environment) {
    super(environment, MODULES, true);
  }

  // The default installs a log4j converter that needs OpenSearch's own logging set-up, which we don't run.
  @Override
  protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

  public static void main(String[] args) throws Exception {
    // Classpath plugins get no extension loading; Painless keeps its allowlists in a static map, so extensions
    // (ingest-common's Processors.* for ingest scripts) loaded into it before the node exists are seen by its engine.
    new PainlessPlugin().loadExtensions(CLASSPATH_EXTENSIONS);
    Launch.run(args, home -> {
      Settings base = Settings.builder().put("path.home", home.toString()).build();
      Environment environment =
          InternalSettingsPreparer.prepareEnvironment(base, Collections.emptyMap(), home.resolve("config"), () -> "node");
      return new EngineNode(environment).start();
    });
  }
}
