package testworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import org.elasticsearch.analysis.common.CommonAnalysisPlugin;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.index.reindex.ReindexPlugin;
import org.elasticsearch.ingest.common.IngestCommonPlugin;
import org.elasticsearch.join.ParentJoinPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.painless.PainlessPlugin;
import org.elasticsearch.plugins.ExtensiblePlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.script.mustache.MustachePlugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * One Elasticsearch 7.x node embedded in this JVM, in the manner of Elasticsearch's own MockNode: the modules are
 * loaded from the classpath instead of a distribution's modules/ folder. Settings come from
 * {@code <home>/config/elasticsearch.yml}; see {@link Launch} for the arguments.
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

  // The default installs a log4j converter that needs Elasticsearch's own logging set-up, which we don't run.
  @Override
  protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

  public static void main(String[] args) throws Exception {
    // Classpath plugins get no extension loading; Painless keeps its whitelists in a static map, so extensions
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
