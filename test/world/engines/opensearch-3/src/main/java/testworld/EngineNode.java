package testworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasModulePlugin;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.ingest.common.IngestCommonModulePlugin;
import org.opensearch.join.ParentJoinModulePlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.script.mustache.MustacheModulePlugin;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * One OpenSearch 3.x node embedded in this JVM, in the manner of the test framework's MockNode: the modules are loaded
 * from the classpath instead of a distribution's modules/ folder. Two differences from the 2.x launcher: the modules'
 * classes are named {@code ...ModulePlugin}, and {@code Node} takes a
 * {@link PluginInfo} per classpath plugin instead of the plugin classes. Settings come from
 * {@code <home>/config/opensearch.yml}; see {@link Launch} for the arguments.
 */
public final class EngineNode extends Node {
  private static final List<Class<? extends Plugin>> PLUGINS = List.of(
      Netty4ModulePlugin.class, ReindexModulePlugin.class, IngestCommonModulePlugin.class, CommonAnalysisModulePlugin.class,
      ParentJoinModulePlugin.class, PainlessModulePlugin.class, MapperExtrasModulePlugin.class, MustacheModulePlugin.class);

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
    super(environment, PLUGINS.stream().map(EngineNode::classpathPlugin).collect(Collectors.toList()), true);
  }

  // What MockNode describes a classpath plugin with: name and class name are the class's, no folder of its own.
  private static PluginInfo classpathPlugin(Class<? extends Plugin> plugin) {
    return new PluginInfo(plugin.getName(), "classpath plugin", "NA", Version.CURRENT, "21", plugin.getName(), null, Collections.emptyList(), false);
  }

  // The default installs a log4j converter that needs OpenSearch's own logging set-up, which we don't run.
  @Override
  protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

  public static void main(String[] args) throws Exception {
    // Classpath plugins get no extension loading; Painless keeps its allowlists in a static map, so extensions
    // (ingest-common's Processors.* for ingest scripts) loaded into it before the node exists are seen by its engine.
    new PainlessModulePlugin().loadExtensions(CLASSPATH_EXTENSIONS);
    Launch.run(args, home -> {
      Settings base = Settings.builder().put("path.home", home.toString()).build();
      Environment environment =
          InternalSettingsPreparer.prepareEnvironment(base, Collections.emptyMap(), home.resolve("config"), () -> "node");
      return new EngineNode(environment).start();
    });
  }
}
