package testworld;

import java.util.Collections;
import java.util.List;

import org.elasticsearch.analysis.common.CommonAnalysisPlugin;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.index.reindex.ReindexPlugin;
import org.elasticsearch.ingest.common.IngestCommonPlugin;
import org.elasticsearch.join.ParentJoinPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.painless.PainlessPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.script.mustache.MustachePlugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * One Elasticsearch 6.x node embedded in this JVM, in the manner of Elasticsearch's own MockNode: the modules are
 * loaded from the classpath instead of a distribution's modules/ folder. Settings come from
 * {@code <home>/config/elasticsearch.yml}; see {@link Launch} for the arguments.
 */
public final class EngineNode extends Node {
  private static final List<Class<? extends Plugin>> MODULES = List.of(
      Netty4Plugin.class, ReindexPlugin.class, IngestCommonPlugin.class, CommonAnalysisPlugin.class,
      ParentJoinPlugin.class, PainlessPlugin.class, MapperExtrasPlugin.class, MustachePlugin.class);

  private EngineNode(Environment environment) {
    super(environment, MODULES, true);
  }

  // Abstract in 6.x: the distribution uses it to put the node name into log lines; our log pattern has none.
  @Override
  protected void registerDerivedNodeNameWithLogger(String nodeName) {}

  public static void main(String[] args) throws Exception {
    // Classpath plugins get no extension loading; Painless keeps its whitelists in a static map, so extensions
    // (ingest-common's Processors.* for ingest scripts) loaded into it before the node exists are seen by its engine.
    // 6.x names the hook reloadSPI: Painless asks the JDK's ServiceLoader over the loader given (META-INF/services).
    new PainlessPlugin().reloadSPI(EngineNode.class.getClassLoader());
    Launch.run(args, home -> {
      Settings base = Settings.builder().put("path.home", home.toString()).build();
      // 6.x signature: (settings, terminal, properties, configDir); the terminal only serves prompts, none here.
      Environment environment =
          InternalSettingsPreparer.prepareEnvironment(base, null, Collections.emptyMap(), home.resolve("config"));
      return new EngineNode(environment).start();
    });
  }
}
