// Network access for remote reindex into Amazon OpenSearch Service (`pulumi-es-migrate/components/aws`).
import "./sdk";
export * from "./reindex-access";
export {
  checkRemoteReindexVersions,
  connectionAlias,
  parseEngineVersion,
  ingressDescription,
  planRemoteHost,
  planRemoteOptions,
  type EngineVersion,
  type RemoteOptions,
} from "./plan";
